package org.gaugeflow.training;

import org.gaugeflow.analysis.ReweightingStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReverseKlTrainerTest {

    /**
     * One intra-op thread: on the shared 2-core build machine, OpenMP threads of LibTorch contend with
     * other processes and small ops run ~30x slower with 2 threads than with 1 (measured).
     */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() { org.bytedeco.pytorch.global.torch.set_num_threads(1); }

    private static U1FineLatticeFlow model(Lattice lat, int layers, int[] hidden, FieldOptions o, long seed) {
        try (Rng init = new Rng(seed, o)) {
            return new U1FineLatticeFlow(lat, new U1FineLatticeFlow.Architecture(layers, 6, hidden, 3), o, init);
        }
    }

    private static TrainingConfig config(long batch, long steps, double lr, GradientEstimator est, FieldOptions o) {
        return new TrainingConfig(batch, steps, new LearningRateSchedule("cosine", lr, lr / 10, 1, 1), 10.0, 42, o, 10, est);
    }

    /**
     * 8x8 at beta = 2: the Haar prior's ESS is Z(beta)^2/Z(2 beta), about 1e-22; a short training run
     * (300 steps, 8 layers, ~40 s of CPU) must reach an ESS of a few percent on fresh samples, and the
     * exact KL (with the exact log Z) must drop well below its starting value.
     */
    @Test
    void shortTrainingRunRaisesTheEssFarAboveThePriors() {
        Lattice lat = Lattice.parse("8x8");
        FieldOptions o = FieldOptions.cpu(Precision.FLOAT);
        WilsonAction action = new WilsonAction(2.0);
        double logZ = ExactU1TwoD.logZ(2.0, 64);
        U1FineLatticeFlow m = model(lat, 8, new int[] {8, 8}, o, 1);
        try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(m, new Theory(U1.INSTANCE, lat, action.beta()),
                config(128, 300, 0.01, GradientEstimator.REPARAMETERIZED, o));
             Rng eval = new Rng(99, o)) {
            ReweightingStats before = t.evaluate(1024, 512, eval).stats();
            ReverseKlTrainer.StepResult last = null;
            for (int i = 0; i < 300; i++) last = t.trainStep();
            ReweightingStats after = t.evaluate(2048, 512, eval).stats();
            System.out.printf("ESS before %.3g after %.4f; KL before %.3f after %.3f (last step loss %.3f)%n",
                    before.ess(), after.ess(), before.kl(logZ), after.kl(logZ), last.stats().loss());
            // Haar prior: exact ESS = E[e^-S]^2 / E[e^-2S] = Z(beta)^2 / Z(2 beta), about 1e-22 here; an ESS
            // measured on n samples cannot fall below ~1/n, so the untrained model reads ~1/1024
            double priorEss = Math.exp(2 * logZ - ExactU1TwoD.logZ(4.0, 64));
            assertTrue(priorEss < 1e-20, "prior ESS " + priorEss);
            // trained: 20x the 1/n floor of 2048 samples, 1e20x the prior's ESS; the exact KL drops > 6x
            assertTrue(after.ess() > 0.01, "ESS after training " + after.ess());
            assertTrue(after.kl(logZ) < 0.15 * before.kl(logZ), "KL " + before.kl(logZ) + " -> " + after.kl(logZ));
        }
    }

    /** grad_clip <= 0 means no clipping, in float32 too (it used to fail converting Double.MAX_VALUE to float). */
    @Test
    void noClippingWorksInFloat32() {
        Lattice lat = Lattice.parse("4x4");
        FieldOptions o = FieldOptions.cpu(Precision.FLOAT);
        U1FineLatticeFlow m = model(lat, 2, new int[] {4}, o, 5);
        TrainingConfig cfg = new TrainingConfig(8, 2, new LearningRateSchedule("constant", 0.01, 0.01, 1, 1), 0.0, 42, o, 10,
                GradientEstimator.REPARAMETERIZED);
        try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(m, new Theory(U1.INSTANCE, lat, 1.5), cfg)) {
            ReverseKlTrainer.StepResult r = t.trainStep();
            assertTrue(Double.isFinite(r.gradNorm()) && r.gradNorm() > 0, "gradient norm " + r.gradNorm());
        }
    }

    /** Killing a run after k steps and resuming from the checkpoint continues exactly. */
    @Test
    void resumeContinuesExactly(@TempDir Path dir) throws Exception {
        Lattice lat = Lattice.parse("4x4");
        FieldOptions o = FieldOptions.CPU_DOUBLE;
        WilsonAction action = new WilsonAction(1.5);
        for (GradientEstimator est : GradientEstimator.all()) {
            TrainingConfig cfg = config(8, 6, 0.01, est, o);
            double[] straight;
            double straightLoss;
            U1FineLatticeFlow a = model(lat, 2, new int[] {4}, o, 3);
            try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(a, new Theory(U1.INSTANCE, lat, action.beta()), cfg)) {
                ReverseKlTrainer.StepResult r = null;
                for (int i = 0; i < 6; i++) r = t.trainStep();
                straight = flatParameters(a);
                straightLoss = r.stats().loss();
            }
            U1FineLatticeFlow b = model(lat, 2, new int[] {4}, o, 3);
            try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(b, new Theory(U1.INSTANCE, lat, action.beta()), cfg)) {
                for (int i = 0; i < 3; i++) t.trainStep();
                Checkpoint.save(dir, t, "{\"step\": 3}");
            }
            assertTrue(Files.exists(dir.resolve(Checkpoint.ARCHIVE)) && Files.exists(dir.resolve(Checkpoint.SIDECAR)));
            assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")));
            U1FineLatticeFlow c = model(lat, 2, new int[] {4}, o, 77); // different init: all of it must come from the checkpoint
            try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(c, new Theory(U1.INSTANCE, lat, action.beta()), cfg)) {
                assertEquals(3, Checkpoint.load(dir, t));
                ReverseKlTrainer.StepResult r = null;
                for (int i = 0; i < 3; i++) r = t.trainStep();
                assertEquals(6, t.step());
                double[] resumed = flatParameters(c);
                for (int i = 0; i < straight.length; i++) assertEquals(straight[i], resumed[i], 0.0, est + " parameter " + i);
                assertEquals(straightLoss, r.stats().loss(), 0.0);
            }
        }
    }

    private static double[] flatParameters(U1FineLatticeFlow m) {
        try (PointerScope s = new PointerScope()) {
            TensorVector ps = m.parameters();
            java.util.List<Double> out = new java.util.ArrayList<>();
            for (long i = 0; i < ps.size(); i++) for (double v : Tensors.toArray(ps.get(i))) out.add(v);
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** Native memory stays flat over many training steps (docs/architecture.md): live JavaCPP objects and resident bytes. */
    @Test
    void nativeMemoryStaysFlatOverTrainingSteps() {
        Lattice lat = Lattice.parse("4x4");
        FieldOptions o = FieldOptions.CPU_DOUBLE;
        U1FineLatticeFlow m = model(lat, 2, new int[] {4}, o, 9);
        for (GradientEstimator est : GradientEstimator.all()) {
            try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(m, new Theory(U1.INSTANCE, lat, 1.0),
                    config(8, 2000, 0.001, est, o))) {
                long count0 = 0;
                long bytes0 = 0;
                for (int i = 0; i < 250; i++) {
                    t.trainStep();
                    if (i == 50) {
                        count0 = org.bytedeco.javacpp.Pointer.totalCount();
                        bytes0 = org.bytedeco.javacpp.Pointer.physicalBytes();
                    }
                }
                long countGrowth = org.bytedeco.javacpp.Pointer.totalCount() - count0;
                long byteGrowth = org.bytedeco.javacpp.Pointer.physicalBytes() - bytes0;
                assertTrue(countGrowth < 10, est + ": live native objects grew by " + countGrowth + " over 200 steps");
                assertTrue(byteGrowth < 64L << 20, est + ": resident memory grew by " + (byteGrowth >> 20) + " MiB over 200 steps");
            }
        }
    }

    @Test
    void essAndLogZInLogSpace() {
        try (PointerScope s = new PointerScope()) {
            // equal weights: ESS 1, log Z = log w; huge log w must not overflow
            ReweightingStats eq = ReweightingStats.of(Tensors.fromArray(new double[] {1e4, 1e4, 1e4, 1e4}, 4));
            assertEquals(1.0, eq.ess(), 1e-12);
            assertEquals(1e4, eq.logZ(), 1e-9);
            double[] lw = {0.3, -1.2, 2.0, 0.0, -5.0};
            double sw = 0;
            double sw2 = 0;
            for (double v : lw) {
                sw += Math.exp(v);
                sw2 += Math.exp(2 * v);
            }
            ReweightingStats st = ReweightingStats.of(Tensors.fromArray(lw, lw.length));
            assertEquals(sw * sw / (lw.length * sw2), st.ess(), 1e-12);
            assertEquals(Math.log(sw / lw.length), st.logZ(), 1e-12);
            assertEquals(0.78, st.loss(), 1e-12);
        }
    }

    /** d log Z / d beta / V = <cos phi_P> against the table of docs/reference-values.md (8x8, beta = 2 and 6). */
    @Test
    void exactPartitionFunctionMatchesThePlaquetteTable() {
        double h = 1e-4;
        double p2 = (ExactU1TwoD.logZ(2 + h, 64) - ExactU1TwoD.logZ(2 - h, 64)) / (2 * h) / 64;
        assertEquals(0.6977746580, p2, 1e-7);
        double p6 = (ExactU1TwoD.logZ(6 + h, 64) - ExactU1TwoD.logZ(6 - h, 64)) / (2 * h) / 64;
        assertEquals(0.9124549149, p6, 1e-7);
    }
}
