package org.gaugeflow.bench;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.flow.u1.ContextNet;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.GradientEstimator;
import org.gaugeflow.training.LearningRateSchedule;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow bench flow}: training steps/s and sampling samples/s of the U(1) fine-lattice flow
 * for each combination of layers, batch and precision (one warm-up step each, then timed steps), each
 * next to the same model evaluated the straightforward way (the full-lattice peer), alternating step by
 * step in the same process.
 */
@Command(name = "flow", mixinStandardHelpOptions = true, description = "Time training steps and sampling of the U(1) fine-lattice flow.")
final class FlowBench implements Callable<Integer> {
    @Option(names = "--lattice", description = "Lattice (default 8x8).") String lattice = "8x8";
    @Option(names = "--layers", split = ",", description = "Layer counts (default 16,48).") int[] layers = {16, 48};
    @Option(names = "--batch", split = ",", description = "Batch sizes (default 64,1024).") long[] batches = {64, 1024};
    @Option(names = "--precision", split = ",", description = "Precisions (default float32,float64).") String[] precisions = {"float32", "float64"};
    @Option(names = "--hidden", split = ",", description = "Context-network hidden channels (default 32,32).") int[] hidden = {32, 32};
    @Option(names = "--bins", description = "Spline bins (default 8, i.e. 9 knots).") int bins = 8;
    @Option(names = "--steps", description = "Timed training steps per case and evaluation (default 5; medians are reported).") int steps = 5;
    @Option(names = "--sample-batches", description = "Timed sampling batches per case (default 3).") int sampleBatches = 3;
    @Option(names = "--device", description = "cpu or cuda (default cpu).") String device = "cpu";
    @Option(names = "--estimator", description = "reparameterized or path.") String estimator = "reparameterized";

    @Override public Integer call() {
        TorchRuntime.configure();
        if (steps < 1 || sampleBatches < 1) throw new IllegalArgumentException("--steps/--sample-batches: expected >= 1");
        Lattice lat = Lattice.parse(lattice);
        WilsonAction action = new WilsonAction(2.0);
        System.out.printf("threads %d, lattice %s, hidden %s, bins %d, estimator %s, device %s%n", TorchRuntime.threads(), lat,
                java.util.Arrays.toString(hidden), bins, estimator, device);
        System.out.println("| layers | batch | precision | s/step | steps/s | samples/s (sampling) | parameters | full-lattice peer s/step | peer samples/s | speed-up step | speed-up sampling |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String p : precisions) {
            FieldOptions o = new FieldOptions(Precision.parse(p), device);
            for (int nl : layers) {
                for (long b : batches) {
                    U1FineLatticeFlow m;
                    try (Rng init = new Rng(1, o)) {
                        m = new U1FineLatticeFlow(lat, new U1FineLatticeFlow.Architecture(nl, bins, hidden, 3), o, init);
                    }
                    TrainingConfig cfg = new TrainingConfig(b, 2 * steps + 2, new LearningRateSchedule("constant", 1e-3, 0, 1, 1), 10, 7, o, 1,
                            GradientEstimator.parse(estimator));
                    try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(m, new Theory(U1.INSTANCE, lat, action.beta()), cfg);
                         Rng rng = new Rng(8, o)) {
                        double[][] r = timeInterleaved(t, m, b, rng);
                        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.4f | %.2f | %.0f | %d | %.4f | %.0f | %.2f | %.2f |%n", nl, b, p,
                                r[0][0], 1 / r[0][0], b / r[0][1], t.parameterCount(), r[1][0], b / r[1][1], r[1][0] / r[0][0], r[1][1] / r[0][1]);
                        System.out.flush();
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Median seconds per training step and per sampling batch, {ours, peer}: our evaluation (BANDS) and
     * the peer (FULL_LATTICE) alternate step by step, so that both see the same machine load. The peer
     * is the same model with the same parameters computed the straightforward way (every layer on every
     * site, circular padding before each layer), which is what a plain PyTorch implementation of this
     * model does; both evaluations give the same numbers (tested), so the ratio is the speed-up of our
     * evaluation on the same machine at the same moment.
     */
    private double[][] timeInterleaved(ReverseKlTrainer<U1FineLatticeFlow> t, U1FineLatticeFlow m, long b, Rng rng) {
        ContextNet.Evaluation[] evs = {ContextNet.Evaluation.BANDS, ContextNet.Evaluation.FULL_LATTICE};
        double[][] stepTimes = new double[2][steps];
        double[][] sampleTimes = new double[2][sampleBatches];
        for (ContextNet.Evaluation ev : evs) { // warm-up
            m.layers().forEach(l -> l.contextEvaluation(ev));
            t.trainStep();
            sampleOnce(m, b, rng);
        }
        for (int i = 0; i < Math.max(steps, sampleBatches); i++) {
            for (int e = 0; e < 2; e++) {
                ContextNet.Evaluation ev = evs[e];
                m.layers().forEach(l -> l.contextEvaluation(ev));
                if (i < steps) {
                    long t0 = System.nanoTime();
                    t.trainStep();
                    stepTimes[e][i] = (System.nanoTime() - t0) / 1e9;
                }
                if (i < sampleBatches) {
                    long t0 = System.nanoTime();
                    sampleOnce(m, b, rng);
                    sampleTimes[e][i] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        m.layers().forEach(l -> l.contextEvaluation(ContextNet.Evaluation.BANDS));
        return new double[][] {{median(stepTimes[0]), median(sampleTimes[0])}, {median(stepTimes[1]), median(sampleTimes[1])}};
    }

    private static void sampleOnce(U1FineLatticeFlow m, long b, Rng rng) {
        try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
            m.sample(b, rng).logQ().sum().item_double();
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }
}
