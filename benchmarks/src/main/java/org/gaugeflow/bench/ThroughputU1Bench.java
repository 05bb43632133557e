package org.gaugeflow.bench;

import org.gaugeflow.training.ReverseKlTrainer;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow experiment throughput-u1}: sampling throughput (samples/s, no gradients) of the U(1) multiscale
 * model against the fine-lattice flow alone with the number of layers that brings its parameter count closest,
 * measured alternately in the same run; prints both rates and their ratio (BENCHMARKS.md).
 */
@Command(name = "throughput-u1", mixinStandardHelpOptions = true,
        description = "Sampling throughput: U(1) multiscale model vs fine-lattice flow alone at equal parameter count.")
final class ThroughputU1Bench implements Callable<Integer> {

    @Option(names = "--lattice", defaultValue = "8x8") String lattice;
    @Option(names = "--coarse", defaultValue = "2x2") String coarse;
    @Option(names = "--batch", defaultValue = "256") int batch;
    @Option(names = "--repeats", defaultValue = "5") int repeats;
    @Option(names = "--fine-layers", defaultValue = "4") int fineLayers;
    @Option(names = "--precision", defaultValue = "float64") String precision;

    @Override public Integer call() {
        TorchRuntime.configure();
        if (batch < 1 || repeats < 1) throw new IllegalArgumentException("--batch " + batch + " / --repeats " + repeats + ": expected >= 1");
        FieldOptions options = new FieldOptions(Precision.parse(precision), "cpu");
        Lattice target = Lattice.parse(lattice);
        U1FineLatticeFlow.Architecture fine = new U1FineLatticeFlow.Architecture(Math.max(fineLayers, 1), 8, new int[] {8, 8}, 3);
        try (Rng init = new Rng(7, options); Rng rng = new Rng(8, options)) {
            MultiscaleModel ms = U1Models.multiscale(Lattice.parse(coarse), target,
                    new U1Models.Spec(2, 8, new int[] {16, 16}, 1.0, fineLayers > 0 ? fine : null), options, init);
            long msParams = ReverseKlTrainer.parameterCount(ms);
            U1FineLatticeFlow best = null;
            for (int layers = 1; layers <= 64; layers++) {
                U1FineLatticeFlow f = U1Models.fineFlow(target, new U1FineLatticeFlow.Architecture(layers, 8, new int[] {8, 8}, 3),
                        options, init);
                if (best == null || Math.abs(ReverseKlTrainer.parameterCount(f) - msParams)
                        < Math.abs(ReverseKlTrainer.parameterCount(best) - msParams)) best = f;
                if (ReverseKlTrainer.parameterCount(f) > msParams) break;
            }
            double msTime = 0;
            double flowTime = 0;
            rate(ms, rng);   // warm-up
            rate(best, rng);
            for (int r = 0; r < repeats; r++) {
                msTime += rate(ms, rng);
                flowTime += rate(best, rng);
            }
            double msRate = batch * repeats / msTime;
            double flowRate = batch * repeats / flowTime;
            System.out.printf(Locale.ROOT, "multiscale (%d params, %d fine layers): %.0f samples/s%n", msParams, fineLayers, msRate);
            System.out.printf(Locale.ROOT, "fine-lattice flow alone (%d params, %d layers): %.0f samples/s%n",
                    ReverseKlTrainer.parameterCount(best), best.architecture().layers(), flowRate);
            System.out.printf(Locale.ROOT, "ratio multiscale / flow alone: %.2f (batch %d, %s, %d threads)%n", msRate / flowRate,
                    batch, precision, TorchRuntime.threads());
        }
        return 0;
    }

    private double rate(Module model, Rng rng) {
        long t0 = System.nanoTime();
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            ((Density) model).sample(batch, rng);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
