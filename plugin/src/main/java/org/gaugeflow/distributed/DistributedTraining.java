package org.gaugeflow.distributed;

import java.io.IOException;
import java.nio.file.Path;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.training.Parallelism;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;

/**
 * One rank of a data-parallel training run (what {@code gaugeflow train} does in each worker process;
 * docs/distributed.md): joins the c10d group of the {@link DistributedContext}, then starts or resumes the
 * {@link TrainingRun} in data-parallel mode. Rank 0 writes the run folder; every rank trains.
 *
 * <pre>{@code
 * DistributedContext ctx = DistributedContext.fromEnvironment();      // torchrun, Slurm or gaugeflow --nproc
 * try (TrainingRun run = DistributedTraining.open(config, dir, false, ctx, DistributedOptions.DEFAULTS)) {
 *     run.train(null);
 *     if (run.writer()) run.finish();                                  // rank 0: evaluation and summary.json
 * }
 * }</pre>
 */
public final class DistributedTraining {
    private DistributedTraining() {}

    /**
     * Joins the group and starts ({@code resume} false) or resumes the run in {@code dir}; the run owns the group and
     * closes it. A usage error found by rank 0 (a folder that already holds a checkpoint, a missing checkpoint) is
     * raised on every rank as the same IllegalArgumentException.
     */
    public static TrainingRun open(RunConfig config, Path dir, boolean resume, DistributedContext context,
            DistributedOptions options) throws IOException {
        return open(config, dir, resume ? RunFolder.Mode.RESUME : RunFolder.Mode.NEW, context, options);
    }

    /**
     * Joins the group and opens the run folder {@code dir} with {@code mode} ({@link TrainingRun#open}: rank 0 alone
     * locks and checks it, recording {@code config} as given, not the rank's {@code cuda:LOCAL_RANK}); the run owns the
     * group and closes it.
     */
    public static TrainingRun open(RunConfig config, Path dir, RunFolder.Mode mode, DistributedContext context,
            DistributedOptions options) throws IOException {
        RunConfig cfg = forRank(config, context);
        C10dDataParallel dp = C10dDataParallel.join(context, options, cfg.options().isCuda());
        try {
            Parallelism par = Parallelism.dataParallel(dp);
            TrainingRun run = TrainingRun.open(cfg, config, dir, mode, par);   // run.json records the device as given
            run.closeAlso(dp);
            return run;
        } catch (IOException | RuntimeException | Error e) {
            dp.close();
            throw e;
        }
    }

    /**
     * The configuration as rank {@code context.rank()} uses it: a CUDA device without an index becomes the local
     * rank's device, {@code cuda:LOCAL_RANK} (one GPU per process).
     */
    public static RunConfig forRank(RunConfig config, DistributedContext context) {
        String d = config.options().device();
        if (context.distributed() && d.equals("cuda")) return config.withDevice("cuda:" + context.localRank());
        return config;
    }
}
