package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow train CONFIG.yaml --out DIR [--steps N] [--budget-seconds S] [--resume | --overwrite]
 * [--memory-limit SIZE]}: reverse-KL training (Eq. (3)) of the configured model by {@link TrainingRun} in the run folder
 * DIR; prints the summary and draws DIR/training.png (docs/training.md).
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

    @Override public Integer call() throws Exception {
        threads.apply();
        memoryLimit.apply();
        RunFolder.Mode mode = existing.mode();
        RunConfig cfg = RunConfig.load(config);
        if (steps != null) {
            if (steps < 0) throw new IllegalArgumentException("--steps " + steps + ": expected >= 0");
            cfg = cfg.withSteps(steps);
        }
        if (budgetSeconds != null) {
            if (!(budgetSeconds >= 0)) throw new IllegalArgumentException("--budget-seconds " + budgetSeconds + ": expected >= 0");
            cfg = cfg.withMaxSeconds(budgetSeconds);
        }
        final long every = cfg.training().metricsInterval();
        try (TrainingRun run = TrainingRun.open(cfg, out, mode)) {
            try (ProgressBar bar = quiet ? null : Progress.bar("train", cfg.training().steps(), " step")) {
                if (bar != null) bar.stepTo(run.step());
                run.train((r, seconds) -> {
                    if (bar == null) return;
                    bar.stepTo(r.step());
                    if (r.step() % every == 0) {
                        bar.setExtraMessage(String.format(" loss %.3f ESS %.3f", r.stats().loss(), r.stats().ess()));
                    }
                });
            }
            Plots.training(out.resolve("training.png"), run.metrics().rows(), cfg.theory().toString());
            Map<String, Object> summary = run.finish();
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        }
        return 0;
    }
}
