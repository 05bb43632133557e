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
        System.out.println("| layers | batch | precision | s/step | steps/s | samples/s (sampling) | parameters |");
        System.out.println("|---|---|---|---|---|---|---|");
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
                        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.4f | %.2f | %.0f | %d |%n", nl, b, p, perStep, 1 / perStep,
                                samplesPerSec, t.parameterCount());
                    }
                }
            }
        }
        return 0;
    }
}
