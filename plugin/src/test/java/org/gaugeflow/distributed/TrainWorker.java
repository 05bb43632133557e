package org.gaugeflow.distributed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;

/**
 * A worker process of the data-parallel tests, started by {@link LocalLauncher}: trains each (CONFIG, DIR) pair as one
 * rank of a data-parallel run, the way {@code gaugeflow train} does in its workers.
 * Arguments: {@code [--resume] [--timeout S] [--kill RANK:STEP] CONFIG DIR [CONFIG DIR ...]}; with --kill, rank RANK
 * kills itself with SIGKILL after step STEP.
 */
public final class TrainWorker {
    private TrainWorker() {}

    public static void main(String[] args) throws Exception {
        TorchRuntime.configure();
        boolean resume = false;
        long timeout = 60;
        int killRank = -1;
        long killStep = -1;
        List<String[]> runs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--resume" -> resume = true;
                case "--timeout" -> timeout = Long.parseLong(args[++i]);
                case "--kill" -> {
                    String[] k = args[++i].split(":");
                    killRank = Integer.parseInt(k[0]);
                    killStep = Long.parseLong(k[1]);
                }
                default -> runs.add(new String[] {args[i], args[++i]});
            }
        }
        DistributedContext ctx = DistributedContext.fromEnvironment();
        DistributedOptions opts = DistributedOptions.DEFAULTS.withTimeout(Duration.ofSeconds(timeout));
        final int kr = killRank;
        final long ks = killStep;
        try {
            for (String[] r : runs) {
                try (TrainingRun run = DistributedTraining.open(RunConfig.load(Path.of(r[0])), Path.of(r[1]), resume, ctx, opts)) {
                    run.train((step, seconds) -> {
                        if (ctx.rank() == kr && step.step() == ks) killSelf();
                    });
                    if (run.writer()) run.finish();
                }
            }
        } catch (RuntimeException e) {
            System.err.println("gaugeflow: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void killSelf() {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            Thread.sleep(60_000);
        } catch (Exception e) {
            Runtime.getRuntime().halt(137);
        }
    }
}
