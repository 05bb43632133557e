package org.gaugeflow.bench;

import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.spectral.SpectralFlow;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;

/**
 * SU(3) flow benchmark (BENCHMARKS.md, "SU(3)"): samples per second and training steps per second of the 2D
 * SU(3) multiscale model (2x2 -> 8x8, 2 spectral iterations per staple-conditional model, one 12-layer fine flow
 * on top) and of the 12-layer fine-lattice flow alone, on 8x8 in float64 and float32, with the share of wall
 * time spent in eigen-decompositions, and as the same-run reference the time of one Wilson action evaluation
 * (plaquettes) of the same batch.
 *
 * <p>Run: {@code bench/run su3 [--batch B] [--reps R]}.
 */
public final class Su3Benchmark {
    private Su3Benchmark() {}

    public static void main(String[] args) {
        TorchRuntime.configure();
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Lattice target = Lattice.parse("8x8");
        SUN su3 = new SUN(3);
        System.out.printf(Locale.ROOT, "# SU(3) 8x8, batch %d, %d reps, %d threads, libtorch %s%n", batch, reps,
                TorchRuntime.threads(), TorchRuntime.libtorchVersion());
        System.out.println("model,precision,samples_per_s,train_steps_per_s,eig_share_sampling,eig_share_training,action_ms,sample_over_action");
        for (Precision p : new Precision[] {Precision.DOUBLE, Precision.FLOAT}) {
            FieldOptions o = new FieldOptions(p, "cpu");
            for (String kind : new String[] {"multiscale", "fine-flow"}) {
                Module model;
                try (Rng init = new Rng(1, o)) {
                    model = kind.equals("multiscale")
                            ? SUNModels.multiscale(su3, Lattice.parse("2x2"), target, new SUNModels.Spec(2, new int[] {16, 16}, 8, 0.5,
                                    new SUNFineLatticeFlow.Architecture(1, new int[] {16, 16}, 8, 0.5)), o, init)
                            : SUNModels.fineFlow(su3, target, new SUNFineLatticeFlow.Architecture(1, new int[] {16, 16}, 8, 0.5), o, init);
                }
                run(kind, p, (Density) model, model, su3, target, o, batch, reps);
            }
        }
    }

    private static void run(String kind, Precision p, Density d, Module m, SUN su3, Lattice target, FieldOptions o, int batch,
            int reps) {
        WilsonAction action = new WilsonAction(6.0);
        try (Rng rng = new Rng(1, o)) {
            // warm-up
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                d.sample(batch, rng);
            }
            long e0 = SpectralFlow.decompositionNanos();
            long t0 = System.nanoTime();
            GaugeField last = null;
            for (int r = 0; r < reps; r++) {
                try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                    d.sample(batch, rng);
                }
            }
            double sampleSec = (System.nanoTime() - t0) / 1e9;
            double eigSample = (SpectralFlow.decompositionNanos() - e0) / 1e9 / sampleSec;
            Adam adam = new Adam(m.parameters(), new AdamOptions(1e-3));
            e0 = SpectralFlow.decompositionNanos();
            t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                try (PointerScope s = new PointerScope()) {
                    adam.zero_grad();
                    Sample x = d.sample(batch, rng);
                    Tensor loss = x.logQ().add(action.action(new GaugeField(su3, target, x.value()))).mean();
                    loss.backward();
                    adam.step();
                }
            }
            double trainSec = (System.nanoTime() - t0) / 1e9;
            double eigTrain = (SpectralFlow.decompositionNanos() - e0) / 1e9 / trainSec;
            double actionMs;
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                GaugeField f = GaugeField.haar(su3, target, batch, rng);
                action.action(f);
                long a0 = System.nanoTime();
                for (int r = 0; r < 20; r++) action.action(f).sum().item_double();
                actionMs = (System.nanoTime() - a0) / 20e6;
            }
            double perSampleBatch = sampleSec / reps;
            System.out.printf(Locale.ROOT, "%s,%s,%.1f,%.3f,%.2f,%.2f,%.2f,%.0f%n", kind, p == Precision.DOUBLE ? "float64" : "float32",
                    batch * reps / sampleSec, reps / trainSec, eigSample, eigTrain, actionMs, perSampleBatch * 1e3 / actionMs);
        }
    }
}
