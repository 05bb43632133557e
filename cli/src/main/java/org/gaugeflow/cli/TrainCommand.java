package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.gaugeflow.distributed.DistributedContext;
import org.gaugeflow.distributed.DistributedOptions;
import org.gaugeflow.distributed.DistributedTraining;
import org.gaugeflow.distributed.LocalLauncher;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow train CONFIG.yaml --out DIR [--steps N] [--budget-seconds S] [--resume | --overwrite]
 * [--memory-limit SIZE] [--nproc N]}: reverse-KL training (Eq. (3)) of the configured model by {@link TrainingRun} in the
 * run folder DIR; prints the summary and draws DIR/training.png (docs/training.md). With {@code --nproc N} the library's
 * {@link LocalLauncher} starts N data-parallel workers of this command; a process started by it, by torchrun or by srun
 * is one rank ({@link DistributedTraining}; docs/distributed.md).
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a flow model by reverse KL (see docs/training.md).")
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Run configuration (theory, model, training).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder.")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Total steps (overrides training.steps).")
    Long steps;

    @Option(names = "--budget-seconds", paramLabel = "S", description = "Stop training after S seconds (overrides training.max_seconds; evaluation not counted).")
    Double budgetSeconds;

    @Mixin SharedOptions.Existing existing;

    @Mixin SharedOptions.MemoryLimit memoryLimit;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin SharedOptions.Threads threads;

    @Option(names = "--nproc", paramLabel = "N",
            description = "Data-parallel training in N worker processes on this machine, the threads split between them "
                    + "(under torchrun or srun leave it out: every process is one rank).")
    Integer nproc;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "300",
            description = "Data-parallel: seconds a rank waits for the others in a collective before the run stops (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--bucket-mb", paramLabel = "M", defaultValue = "1",
            description = "Data-parallel: gradient bucket size in MiB (default ${DEFAULT-VALUE}).")
    double bucketMb;

    @Option(names = "--gradient-sync", paramLabel = "MODE", defaultValue = "overlapped",
            description = "Data-parallel: overlapped (c10d Reducer, buckets all-reduced during the backward pass) or "
                    + "after-backward (default ${DEFAULT-VALUE}).")
    String gradientSync;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        threads.apply();
        memoryLimit.apply();
        RunFolder.Mode mode = existing.mode();
        DistributedContext ctx = DistributedContext.fromEnvironment();
        DistributedOptions dopts = distributedOptions();
        if (nproc != null) {
            if (nproc < 1) throw new IllegalArgumentException("--nproc " + nproc + ": expected >= 1");
            if (ctx.distributed()) {
                throw new IllegalArgumentException("--nproc " + nproc + " in " + ctx.describe()
                        + ": expected either --nproc or a launcher (torchrun, srun), not both");
            }
            if (nproc > 1) return launch(dopts);
        }
        RunConfig cfg = RunConfig.load(config);
        if (steps != null) {
            if (steps < 0) throw new IllegalArgumentException("--steps " + steps + ": expected >= 0");
            cfg = cfg.withSteps(steps);
        }
        if (budgetSeconds != null) {
            if (!(budgetSeconds >= 0)) throw new IllegalArgumentException("--budget-seconds " + budgetSeconds + ": expected >= 0");
            cfg = cfg.withMaxSeconds(budgetSeconds);
        }
        if (ctx.distributed()) return rank(cfg, mode, ctx, dopts);
        try (TrainingRun run = TrainingRun.open(cfg, out, mode)) {
            trainAndReport(run, cfg, quiet ? null : "train");
        }
        return 0;
    }

    /** Trains with a progress bar labelled {@code label} (none if null); the writer draws the plot and prints the summary. */
    private void trainAndReport(TrainingRun run, RunConfig cfg, String label) throws Exception {
        final long every = cfg.training().metricsInterval();
        try (ProgressBar bar = label == null ? null : Progress.bar(label, cfg.training().steps(), " step")) {
            if (bar != null) bar.stepTo(run.step());
            run.train((r, seconds) -> {
                if (bar == null) return;
                bar.stepTo(r.step());
                if (r.step() % every == 0) {
                    bar.setExtraMessage(String.format(" loss %.3f ESS %.3f", r.stats().loss(), r.stats().ess()));
                }
            });
        }
        if (!run.writer()) return;
        Plots.training(out.resolve("training.png"), run.metrics().rows(), cfg.theory().toString());
        Map<String, Object> summary = run.finish();
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    }

    private DistributedOptions distributedOptions() {
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": expected a number of seconds > 0");
        }
        if (!(bucketMb > 0) || bucketMb > 1024) throw new IllegalArgumentException("--bucket-mb " + bucketMb + ": expected 0 < M <= 1024");
        return new DistributedOptions(Duration.ofMillis(Math.round(timeoutSeconds * 1000)), Math.max(1024, Math.round(bucketMb * (1 << 20))),
                DistributedOptions.GradientSync.parse(gradientSync));
    }

    /** Starts N workers running this command line without --nproc and --threads; prints how they ended. */
    private int launch(DistributedOptions dopts) throws Exception {
        int per = LocalLauncher.threadsPerProcess(TorchRuntime.threads(), nproc);
        List<String> args = workerArguments(spec.root().commandLine().getParseResult().originalArgs());
        LocalLauncher.Outcome o = LocalLauncher.run(new LocalLauncher.Spec(nproc, Main.class.getName(), args, per,
                dopts.timeout(), true, Map.of(), null));
        if (!o.succeeded() && o.status() != 2) System.err.println("gaugeflow: " + o.message());
        return o.status();
    }

    /** The arguments of a worker: these without --nproc and --threads (the launcher sets each worker's threads). */
    static List<String> workerArguments(List<String> original) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--nproc") || a.equals("--threads")) {
                i++;
                continue;
            }
            if (a.startsWith("--nproc=") || a.startsWith("--threads=")) continue;
            out.add(a);
        }
        return out;
    }

    /** One rank of a data-parallel run: rank 0 shows progress, draws the plot and prints the summary. */
    private int rank(RunConfig cfg, RunFolder.Mode mode, DistributedContext ctx, DistributedOptions dopts) throws Exception {
        boolean lead = ctx.rank() == 0;
        try (TrainingRun run = DistributedTraining.open(cfg, out, mode, ctx, dopts)) {
            trainAndReport(run, cfg, quiet || !lead ? null : "train x" + ctx.worldSize());
        } catch (IllegalArgumentException e) {
            if (lead) throw e;
            return 2;   // the same usage error on every rank: rank 0 prints it
        }
        return 0;
    }
}
