package org.gaugeflow.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
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
 * for each combination of layers, batch and precision (one warm-up step each, then timed steps).
 */
@Command(name = "flow", mixinStandardHelpOptions = true, description = "Time training steps and sampling of the U(1) fine-lattice flow.")
final class FlowBenchCommand implements Callable<Integer> {
    @Option(names = "--lattice", description = "Lattice (default 8x8).") String lattice = "8x8";
    @Option(names = "--layers", split = ",", description = "Layer counts (default 16,48).") int[] layers = {16, 48};
    @Option(names = "--batch", split = ",", description = "Batch sizes (default 64,1024).") long[] batches = {64, 1024};
    @Option(names = "--precision", split = ",", description = "Precisions (default float32,float64).") String[] precisions = {"float32", "float64"};
    @Option(names = "--hidden", split = ",", description = "Context-network hidden channels (default 32,32).") int[] hidden = {32, 32};
    @Option(names = "--bins", description = "Spline bins (default 8, i.e. 9 knots).") int bins = 8;
    @Option(names = "--steps", description = "Timed training steps per case (default 5).") int steps = 5;
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
        System.out.println("| layers | batch | precision | s/step | steps/s | samples/s (sampling) | parameters | conv-only s/step (same run) | step / conv-only |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String p : precisions) {
            FieldOptions o = new FieldOptions(Precision.parse(p), device);
            for (int nl : layers) {
                for (long b : batches) {
                    U1FineLatticeFlow m;
                    try (Rng init = new Rng(1, o)) {
                        m = new U1FineLatticeFlow(lat, new U1FineLatticeFlow.Architecture(nl, bins, hidden, 3), o, init);
                    }
                    TrainingConfig cfg = new TrainingConfig(b, steps + 1, new LearningRateSchedule("constant", 1e-3, 0, 1, 1), 10, 7, o, 1,
                            GradientEstimator.parse(estimator));
                    try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(m, U1.INSTANCE, lat, action, cfg);
                         Rng rng = new Rng(8, o)) {
                        t.trainStep(); // warm-up
                        long t0 = System.nanoTime();
                        for (int i = 0; i < steps; i++) t.trainStep();
                        double perStep = (System.nanoTime() - t0) / 1e9 / steps;
                        try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
                            m.sample(b, rng).logQ().sum().item_double(); // warm-up
                        }
                        long t1 = System.nanoTime();
                        for (int i = 0; i < sampleBatches; i++) {
                            try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
                                m.sample(b, rng).logQ().sum().item_double();
                            }
                        }
                        double samplesPerSec = b * sampleBatches / ((System.nanoTime() - t1) / 1e9);
                        double conv = convOnlyStep(nl, b, lat, o);
                        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.4f | %.2f | %.0f | %d | %.4f | %.2f |%n", nl, b, p, perStep, 1 / perStep,
                                samplesPerSec, t.parameterCount(), conv, perStep / conv);
                    }
                }
            }
        }
        return 0;
    }

    /**
     * The same-run reference: forward and backward of the layers' context networks alone (full-lattice
     * convolutions, as a straightforward implementation evaluates them), i.e. the LibTorch convolution
     * floor of one training step; the ratio step / conv-only shows the cost of everything else
     * (splines, plaquettes, the action, autograd bookkeeping) independently of the machine's load.
     */
    private double convOnlyStep(int nl, long b, Lattice lat, FieldOptions o) {
        java.util.List<org.gaugeflow.flow.u1.ContextNet> nets = new java.util.ArrayList<>();
        try (Rng init = new Rng(3, o)) {
            for (int i = 0; i < nl; i++) nets.add(new org.gaugeflow.flow.u1.ContextNet(2, hidden, 3 * bins, 3, o, init));
            double best = 0;
            for (int rep = 0; rep < 2; rep++) {
                try (PointerScope s = new PointerScope()) {
                    org.bytedeco.pytorch.Tensor x = init.normal(b, 2, lat.extent(1), lat.extent(0)).set_requires_grad(true);
                    long t0 = System.nanoTime();
                    org.bytedeco.pytorch.Tensor acc = null;
                    for (org.gaugeflow.flow.u1.ContextNet n : nets) {
                        org.bytedeco.pytorch.Tensor y = n.apply(x).sum();
                        acc = acc == null ? y : acc.add(y);
                    }
                    acc.backward();
                    double sec = (System.nanoTime() - t0) / 1e9;
                    if (rep == 1) best = sec; // the second (warm) repetition
                }
            }
            return best;
        }
    }
}
