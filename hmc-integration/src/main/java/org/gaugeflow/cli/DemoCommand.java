package org.gaugeflow.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.ensemble.SampleRun;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.training.Checkpoint;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow demo}: trains a small multiscale U(1) model on 8x8 at beta = 2, saves it, runs a hybrid
 * HMC + flow chain with it through {@code gaugeflow sample}, writes a few ILDG files, and prints measured
 * against exact plaquette and topological susceptibility (DESIGN.md table).
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

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    static final Lattice COARSE = Lattice.parse("2x2");
    static final Lattice LATTICE = Lattice.parse("8x8");
    static final double BETA = 2.0;

    @Override public Integer call() throws IOException {
        if (trainSteps < 1) throw new IllegalArgumentException("train-steps = " + trainSteps + ": expected >= 1");
        if (n < 100) throw new IllegalArgumentException("n = " + n + ": expected >= 100");
        TorchRuntime.configure();
        PrintStream o = System.out;
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        Path modelDir = out.resolve("model");
        Path chainDir = out.resolve("chain");
        o.printf(Locale.ROOT, "gaugeflow demo: 2D U(1), %s, beta = %.1f; output in %s%n", LATTICE, BETA, out);
        o.printf(Locale.ROOT, "1/2 training a multiscale model (%s Haar prior, %d doubling layers with heatbath "
                + "staple-conditional densities), gaugeflow train, reverse KL, %d steps of batch 64%n", COARSE,
                MultiscaleModel.schedule(COARSE, LATTICE).length, trainSteps);
        if (Files.isRegularFile(modelDir.resolve(Checkpoint.ARCHIVE))) deleteTree(modelDir); // an earlier demo's model
        ProposalModels.Loaded trained = trainSmallModel(modelDir, LATTICE, BETA, trainSteps, seed, quiet);
        o.printf(Locale.ROOT, "   model saved in %s (gaugeflow train; %s)%n", modelDir, trained.checksum());

        if (Files.isRegularFile(chainDir.resolve(SampleRun.CHECKPOINT))) deleteTree(chainDir); // an earlier demo's chain
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
        s.engine = NativeEngine.available() ? "native" : "torch";
        s.tau = 1.0;
        s.steps = 8;
        s.integrator = "omelyan";
        s.device = "cpu";
        s.ildgPrecision = "64";
        s.quiet = quiet;
        o.printf(Locale.ROOT, "2/2 hybrid chain: cycles of 1 HMC trajectory (%s engine) + 3 flow proposals, %d updates, "
                + "an ILDG file every %d%n", s.engine, n, s.saveEvery);
        Map<String, Object> summary = s.run(total -> bar("sample", total, " upd"));
        SampleSummaryPrinter.print(summary, o);
        o.printf(Locale.ROOT, "files: %s (summary.json, history.csv, ensemble/*.ildg, plots); total %.0f s%n", chainDir,
                (System.nanoTime() - t0) * 1e-9);
        return 0;
    }

    /** The training configuration of the demo's model (docs/training.md format; model section of U1Models). */
    static String trainingYaml(Lattice lattice, double beta, int steps, long seed) {
        return String.join("\n",
                "theory:", "  group: u1", "  lattice: " + lattice, "  beta: " + beta,
                "model:", "  type: multiscale", "  coarse: " + COARSE, "  scm_layers: 0", "  fine_layers: 0",
                "  beta_tilde: 1.0",
                "training:", "  batch: 64", "  steps: " + steps, "  lr: 0.02", "  schedule: constant",
                "  seed: " + seed, "  precision: float64", "  device: cpu", "  metrics_interval: 10",
                "  checkpoint_interval: " + steps, "  eval_samples: 1024", "  eval_batch: 256", "");
    }

    /**
     * Trains the demo's small multiscale model with {@code gaugeflow train} into {@code dir} (a new folder) and
     * loads it back as a proposal model.
     */
    public static ProposalModels.Loaded trainSmallModel(Path dir, Lattice lattice, double beta, int steps, long seed,
            boolean quiet) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path yaml = Files.createTempFile(parent, ".demo-train.", ".yaml");
        try {
            Files.writeString(yaml, trainingYaml(lattice, beta, steps, seed));
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", yaml.toString(), "--out",
                    dir.toString()));
            if (quiet) args.add("--quiet");
            int rc = Main.execute(args.toArray(String[]::new));
            if (rc != 0) throw new IllegalStateException("training the demo model failed (gaugeflow train exit " + rc + ")");
        } finally {
            Files.deleteIfExists(yaml);
        }
        return TrainedModels.load(dir);
    }

    private static ProgressBar bar(String task, long total, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(unit, 1).build();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
