package org.gaugeflow.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.gaugeflow.experiments.Demo;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.io.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow demo}: trains the small multiscale U(1) model of {@link Demo} on 8x8 at beta = 2, saves it, runs a
 * hybrid HMC + flow chain with it as {@code gaugeflow sample} does, writes a few ILDG files, and prints measured
 * against exact plaquette and topological susceptibility (docs/reference-values.md).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small multiscale U(1) model (8x8, beta = 2), sample a hybrid chain, compare with exact results.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--train-steps", defaultValue = "200", description = "Training steps (default ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--n", defaultValue = "4000", description = "Updates of the hybrid chain (default ${DEFAULT-VALUE}).")
    long n;

    @Mixin SharedOptions.Seed seed;

    @Mixin SharedOptions.Threads threads;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    static final Lattice LATTICE = Lattice.parse("8x8");
    static final double BETA = 2.0;

    @Mixin SharedOptions.MemoryLimit memoryLimit;

    @Override public Integer call() throws IOException {
        if (trainSteps < 1) throw new IllegalArgumentException("train-steps = " + trainSteps + ": expected >= 1");
        if (n < 100) throw new IllegalArgumentException("n = " + n + ": expected >= 100");
        threads.apply();
        memoryLimit.apply();
        try (RunFolder folder = Demo.openOutput(out, LATTICE, BETA, trainSteps, n, seed.seed)) {
            folder.markStarted();
            return demo();
        }
    }

    private int demo() throws IOException {
        PrintStream o = System.out;
        long t0 = System.nanoTime();
        Path modelDir = out.resolve(Demo.MODEL);
        Path chainDir = out.resolve(Demo.CHAIN);
        o.printf(Locale.ROOT, "gaugeflow demo: 2D U(1), %s, beta = %.1f; output in %s%n", LATTICE, BETA, out);
        o.printf(Locale.ROOT, "1/2 training a multiscale model (%s Haar prior, %d doubling layers with heatbath "
                + "staple-conditional densities), reverse KL, %d steps of batch 64%n", Demo.COARSE,
                MultiscaleModel.schedule(Demo.COARSE, LATTICE).length, trainSteps);
        TrainedModel trained;
        try (ProgressBar bar = quiet ? null : Progress.bar("train", trainSteps, " step")) {
            trained = Demo.trainModel(modelDir, LATTICE, BETA, trainSteps, seed.seed, (r, sec) -> {
                if (bar != null) bar.stepTo(r.step());
            });
        }
        o.printf(Locale.ROOT, "   model saved in %s (gaugeflow train; %s)%n", modelDir, trained.checksum());

        SampleCommand s = new SampleCommand();
        s.model = modelDir.toString();
        s.chain = "hybrid";
        s.hmcEvery = 1;
        s.flowEvery = 3;
        s.n = n;
        s.saveEvery = n / 4;
        s.therm = 100L;
        s.out = chainDir;
        s.seed = seed;
        s.chainId = "demo";
        s.batch = 256;
        s.engine = new SharedOptions.Engine();
        s.engine.engine = HmcEngines.available("native", U1.INSTANCE, FieldOptions.CPU_DOUBLE) ? "native" : "torch";
        s.threads = threads;
        s.tau = 1.0;
        s.steps = 8;
        s.integrator = new SharedOptions.MdIntegrator();
        s.integrator.integrator = "omelyan";
        s.device = "cpu";
        s.ildgPrecision = "64";
        s.quiet = quiet;
        o.printf(Locale.ROOT, "2/2 hybrid chain: cycles of 1 HMC trajectory (%s engine) + 3 flow proposals, %d updates, "
                + "an ILDG file every %d%n", s.engine.engine, n, s.saveEvery);
        Map<String, Object> summary = s.run(total -> Progress.bar("sample", total, " upd"));
        SampleSummaryPrinter.print(summary, o);
        o.printf(Locale.ROOT, "files: %s (summary.json, history.csv, ensemble/*.ildg, plots); total %.0f s%n", chainDir,
                (System.nanoTime() - t0) * 1e-9);
        return 0;
    }
}
