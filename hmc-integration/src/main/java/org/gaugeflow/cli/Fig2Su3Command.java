package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.ReverseKl;
import org.gaugeflow.multiscale.SUNModels;
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
 * {@code gaugeflow experiment fig2-su3}: the SU(3) half of the paper's Fig. 2 (Sec. 3.2). For each beta, trains
 * (a) the multiscale model (Haar 2x2 coarse prior, doubling layers with SU(3) staple-conditional spectral flows,
 * a small fine-lattice flow on top: one iteration of 8 + 4 = 12 spectral coupling layers) and (b) the fine-lattice
 * flow alone (Haar prior, the same 12-layer iterations), with the same number of reverse-KL training steps, batch
 * and learning rate, then measures the ESS (Eq. (4)) on fresh samples. Writes fig2-su3.csv (rewritten after every
 * model) and fig2-su3.png (ESS against beta).
 */
@Command(name = "fig2-su3", mixinStandardHelpOptions = true,
        description = "Fig. 2, SU(3): ESS vs beta of the multiscale model and of the fine-lattice flow alone, at equal training budget.")
final class Fig2Su3Command implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--budget-steps", defaultValue = "200", description = "Training steps per model (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--budget-seconds", defaultValue = "0", description = "If > 0, also stop training a model after this many seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--batch", defaultValue = "32", description = "Training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--betas", defaultValue = "2,6,10,16", split = ",", description = "Couplings (default ${DEFAULT-VALUE}).")
    double[] betas;

    @Option(names = "--lattice", defaultValue = "8x8", description = "Target lattice (default ${DEFAULT-VALUE}).")
    String lattice;

    @Option(names = "--coarse", defaultValue = "2x2", description = "Coarse lattice of the multiscale model (default ${DEFAULT-VALUE}).")
    String coarse;

    @Option(names = "--eval-samples", defaultValue = "1024", description = "Samples for the ESS (default ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--scm-iterations", defaultValue = "2", description = "Spectral-flow iterations per staple-conditional model (default ${DEFAULT-VALUE}).")
    int scmIterations;

    @Option(names = "--hidden", defaultValue = "16,16", split = ",", description = "Hidden widths of the spectral flows' networks (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--bins", defaultValue = "8", description = "Spline bins, all spectral flows (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--fine-iterations", defaultValue = "1", description = "12-layer iterations of the fine flow on top of the multiscale model (default ${DEFAULT-VALUE}).")
    int fineIterations;

    @Option(names = "--flow-iterations", defaultValue = "1", description = "12-layer iterations of the fine-lattice flow alone (default ${DEFAULT-VALUE}).")
    int flowIterations;

    @Option(names = "--precision", defaultValue = "float64", description = "float64 or float32 (default ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    record Row(double beta, String model, long params, int steps, double trainSeconds, double ess, double klMinusLogZ) {}

    @Override public Integer call() throws IOException {
        TorchRuntime.configure();
        if (steps < 0) throw new IllegalArgumentException("--budget-steps " + steps + ": expected >= 0");
        if (batch < 1) throw new IllegalArgumentException("--batch " + batch + ": expected >= 1");
        if (evalSamples < 2) throw new IllegalArgumentException("--eval-samples " + evalSamples + ": expected >= 2");
        Lattice target = Lattice.parse(lattice);
        Lattice coarseLattice = Lattice.parse(coarse);
        FieldOptions options = new FieldOptions(Precision.parse(precision), "cpu");
        SUN su3 = new SUN(3);
        Files.createDirectories(out);
        List<Row> rows = new ArrayList<>();
        for (double beta : betas) {
            for (String kind : new String[] {"multiscale", "fine-flow"}) {
                torch.manual_seed(seed);
                Module model = kind.equals("multiscale")
                        ? SUNModels.multiscale(su3, coarseLattice, target, new SUNModels.Spec(scmIterations, hidden, bins, 0.0,
                                fineIterations > 0 ? new SUNFineLatticeFlow.Architecture(fineIterations, hidden, bins, 0.0) : null),
                                options)
                        : SUNModels.fineFlow(su3, target, new SUNFineLatticeFlow.Architecture(flowIterations, hidden, bins, 0.0),
                                options);
                Row r = trainAndMeasure(beta, kind, model, target, options, su3);
                rows.add(r);
                System.out.printf(Locale.ROOT, "beta %.2f %-10s params %d  %d steps in %.1f s  ESS %.4f  KL-logZ %.3f%n",
                        r.beta(), r.model(), r.params(), r.steps(), r.trainSeconds(), r.ess(), r.klMinusLogZ());
                writeCsv(rows);
            }
        }
        writePlot(rows);
        return 0;
    }

    private Row trainAndMeasure(double beta, String kind, Module model, Lattice target, FieldOptions options, SUN su3) {
        Density density = (Density) model;
        WilsonAction action = new WilsonAction(beta);
        long params = Fig2U1Command.parameterCount(model);
        long t0 = System.nanoTime();
        int done = 0;
        try (Rng rng = new Rng(seed, options)) {
            if (params > 0 && steps > 0) {
                Adam adam = new Adam(model.parameters(), new AdamOptions(lr));
                for (int step = 0; step < steps; step++) {
                    if (seconds > 0 && (System.nanoTime() - t0) / 1e9 > seconds) break;
                    try (PointerScope scope = new PointerScope()) {
                        adam.zero_grad();
                        Sample s = density.sample(batch, rng);
                        Tensor loss = ReverseKl.loss(s, su3, target, action);
                        loss.backward();
                        adam.step();
                    }
                    done++;
                }
            }
            double trained = (System.nanoTime() - t0) / 1e9;
            ReverseKl.Quality q = ReverseKl.evaluate(density, su3, target, action, evalSamples, batch, rng);
            return new Row(beta, kind, params, done, trained, q.ess(), q.klMinusLogZ());
        }
    }

    private void writeCsv(List<Row> rows) throws IOException {
        StringBuilder b = new StringBuilder("beta,model,params,steps,batch,train_seconds,ess,kl_minus_logz,threads,precision\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d,%d,%.2f,%.6f,%.6f,%d,%s%n", r.beta(), r.model(), r.params(),
                    r.steps(), batch, r.trainSeconds(), r.ess(), r.klMinusLogZ(), TorchRuntime.threads(), precision));
        }
        Fig2U1Command.writeAtomically(out.resolve("fig2-su3.csv"), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void writePlot(List<Row> rows) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Fig. 2, SU(3), " + lattice + ": ESS vs beta (<= " + steps + " steps, batch " + batch + ")")
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
        Fig2U1Command.writeAtomically(out.resolve("fig2-su3.png"), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
