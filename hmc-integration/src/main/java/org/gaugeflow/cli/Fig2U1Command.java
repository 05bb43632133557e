package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.ReverseKl;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow experiment fig2-u1}: the U(1) half of the paper's Fig. 2 (Sec. 3.2). For each beta, trains
 * (a) the multiscale model (Haar 2x2 coarse prior, doubling layers with U(1) staple-conditional flows, a small
 * fine-lattice flow on top) and (b) the fine-lattice flow alone (Haar prior), with the same number of
 * reverse-KL training steps, batch and learning rate, then measures the ESS (Eq. (4)) on fresh samples.
 * Writes fig2-u1.csv (rewritten after every model) and fig2-u1.png (ESS against beta).
 */
@Command(name = "fig2-u1", mixinStandardHelpOptions = true,
        description = "Fig. 2, U(1): ESS vs beta of the multiscale model and of the fine-lattice flow alone, at equal training budget.")
final class Fig2U1Command implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--budget-steps", defaultValue = "300", description = "Training steps per model (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "Training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--betas", defaultValue = "1,2,3,4,5,6,7,8", split = ",", description = "Couplings (default ${DEFAULT-VALUE}).")
    double[] betas;

    @Option(names = "--lattice", defaultValue = "8x8", description = "Target lattice (default ${DEFAULT-VALUE}).")
    String lattice;

    @Option(names = "--coarse", defaultValue = "2x2", description = "Coarse lattice of the multiscale model (default ${DEFAULT-VALUE}).")
    String coarse;

    @Option(names = "--eval-samples", defaultValue = "4096", description = "Samples for the ESS (default ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--scm-layers", defaultValue = "2", description = "Coupling layers per staple-conditional model (default ${DEFAULT-VALUE}).")
    int scmLayers;

    @Option(names = "--scm-hidden", defaultValue = "16,16", split = ",", description = "Hidden widths of the staple-conditional MLPs (default ${DEFAULT-VALUE}).")
    int[] scmHidden;

    @Option(names = "--bins", defaultValue = "8", description = "Spline bins, all layers (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--hidden", defaultValue = "8,8", split = ",", description = "Hidden channels of the fine-lattice context CNNs (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--fine-layers", defaultValue = "4", description = "Fine-lattice flow layers on top of the multiscale model (default ${DEFAULT-VALUE}).")
    int fineLayers;

    @Option(names = "--flow-layers", defaultValue = "8", description = "Layers of the fine-lattice flow alone (default ${DEFAULT-VALUE}).")
    int flowLayers;

    @Option(names = "--precision", defaultValue = "float64", description = "float64 or float32 (default ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--eval-every", defaultValue = "0", description = "Also measure the ESS on --curve-samples samples every N training steps (0: never); written to fig2-u1-curve.csv.")
    int evalEvery;

    @Option(names = "--curve-samples", defaultValue = "256", description = "Samples per training-curve ESS (default ${DEFAULT-VALUE}).")
    int curveSamples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    private final StringBuilder curve = new StringBuilder("beta,model,step,train_seconds,ess,kl_minus_logz,kl\n");

    record Row(double beta, String model, long params, int steps, double trainSeconds, double ess, double klMinusLogZ, double kl) {}

    /** Exact log Z of 2D U(1) (Eq. (3) needs it to turn E_q[log q + S] into the KL divergence). */
    static double logZ(double beta, Lattice target) { return ExactU1TwoD.logZ(beta, target.volume()); }

    @Override public Integer call() throws IOException {
        TorchRuntime.configure();
        if (steps < 0) throw new IllegalArgumentException("--budget-steps " + steps + ": expected >= 0");
        if (batch < 1) throw new IllegalArgumentException("--batch " + batch + ": expected >= 1");
        if (evalSamples < 2) throw new IllegalArgumentException("--eval-samples " + evalSamples + ": expected >= 2");
        Lattice target = Lattice.parse(lattice);
        Lattice coarseLattice = Lattice.parse(coarse);
        FieldOptions options = new FieldOptions(Precision.parse(precision), "cpu");
        Files.createDirectories(out);
        List<Row> rows = new ArrayList<>();
        for (double beta : betas) {
            for (String kind : new String[] {"multiscale", "fine-flow"}) {
                torch.manual_seed(seed);
                Row r;
                try (Rng init = new Rng(seed + 1000, options)) {
                    Module model = kind.equals("multiscale")
                            ? U1Models.multiscale(coarseLattice, target, new U1Models.Spec(scmLayers, bins, scmHidden, 1.0,
                                    fineLayers > 0 ? new U1FineLatticeFlow.Architecture(fineLayers, bins, hidden, 3) : null),
                                    options, init)
                            : U1Models.fineFlow(target, new U1FineLatticeFlow.Architecture(flowLayers, bins, hidden, 3),
                                    options, init);
                    r = trainAndMeasure(beta, kind, model, target, options);
                }
                rows.add(r);
                System.out.printf(Locale.ROOT, "beta %.2f %-10s params %d  %d steps in %.1f s  ESS %.4f  KL %.3f%n",
                        r.beta(), r.model(), r.params(), r.steps(), r.trainSeconds(), r.ess(), r.kl());
                writeCsv(rows);
            }
        }
        writePlot(rows);
        return 0;
    }

    private Row trainAndMeasure(double beta, String kind, Module model, Lattice target, FieldOptions options) {
        Density density = (Density) model;
        WilsonAction action = new WilsonAction(beta);
        long params = parameterCount(model);
        long t0 = System.nanoTime();
        double evalSeconds = 0;
        try (Rng rng = new Rng(seed, options)) {
            if (params > 0 && steps > 0) {
                Adam adam = new Adam(model.parameters(), new AdamOptions(lr));
                for (int step = 0; step < steps; step++) {
                    if (evalEvery > 0 && step % evalEvery == 0) {
                        long e0 = System.nanoTime();
                        ReverseKl.Quality q = ReverseKl.evaluate(density, U1.INSTANCE, target, action, curveSamples, batch, rng);
                        evalSeconds += (System.nanoTime() - e0) / 1e9;
                        curve.append(String.format(Locale.ROOT, "%.4f,%s,%d,%.2f,%.6f,%.6f,%.6f%n", beta, kind, step,
                                (System.nanoTime() - t0) / 1e9 - evalSeconds, q.ess(), q.klMinusLogZ(),
                                q.klMinusLogZ() + logZ(beta, target)));
                    }
                    try (PointerScope scope = new PointerScope()) {
                        adam.zero_grad();
                        Sample s = density.sample(batch, rng);
                        Tensor loss = ReverseKl.loss(s, U1.INSTANCE, target, action);
                        loss.backward();
                        adam.step();
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9 - evalSeconds;
            ReverseKl.Quality q = ReverseKl.evaluate(density, U1.INSTANCE, target, action, evalSamples, batch, rng);
            if (evalEvery > 0) {
                curve.append(String.format(Locale.ROOT, "%.4f,%s,%d,%.2f,%.6f,%.6f,%.6f%n", beta, kind, steps, seconds, q.ess(),
                        q.klMinusLogZ(), q.klMinusLogZ() + logZ(beta, target)));
            }
            return new Row(beta, kind, params, steps, seconds, q.ess(), q.klMinusLogZ(), q.klMinusLogZ() + logZ(beta, target));
        }
    }

    static long parameterCount(Module m) {
        long n = 0;
        var ps = m.parameters();
        for (long i = 0; i < ps.size(); i++) n += ps.get(i).numel();
        return n;
    }

    private void writeCsv(List<Row> rows) throws IOException {
        StringBuilder b = new StringBuilder("beta,model,params,steps,batch,train_seconds,ess,kl_minus_logz,kl,threads\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d,%d,%.2f,%.6f,%.6f,%.6f,%d%n", r.beta(), r.model(), r.params(),
                    r.steps(), batch, r.trainSeconds(), r.ess(), r.klMinusLogZ(), r.kl(), TorchRuntime.threads()));
        }
        writeAtomically(out.resolve("fig2-u1.csv"), b.toString().getBytes(StandardCharsets.UTF_8));
        if (evalEvery > 0) writeAtomically(out.resolve("fig2-u1-curve.csv"), curve.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void writePlot(List<Row> rows) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Fig. 2, U(1), " + lattice + ": ESS vs beta (" + steps + " steps, batch " + batch + ")")
                .xAxisTitle("beta").yAxisTitle("ESS").build();
        for (String kind : new String[] {"multiscale", "fine-flow"}) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Row r : rows) {
                if (r.model().equals(kind)) {
                    x.add(r.beta());
                    y.add(r.ess());
                }
            }
            if (!x.isEmpty()) chart.addSeries(kind.equals("multiscale") ? "multiscale + fine flow" : "fine-lattice flow alone", x, y);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        writeAtomically(out.resolve("fig2-u1.png"), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Writes to a temporary name in the same folder, then renames (DESIGN.md: no truncated files). */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

}
