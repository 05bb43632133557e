package org.gaugeflow.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.chain.UpdateKind;
import org.gaugeflow.experiments.Demo;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.training.RunConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume transfer ({@link VolumeTransfer}, {@link TrainedModel#onLattice}): the larger model's density is exact (log q
 * of its samples = logProb), it carries the weights the mode says, and an independence chain with a model trained on
 * 8x8 and run on 16x16 reproduces the exact 2D U(1) plaquette.
 */
class VolumeTransferTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void oneThread() { torch.set_num_threads(1); }

    /** A model of {@code yamlModel} on {@code lattice} with all weights shifted by Gaussian noise (neither identity nor Haar). */
    static TrainedModel perturbed(String group, String lattice, String yamlModel, long seed) {
        RunConfig cfg = RunConfig.parse("theory: {group: " + group + ", lattice: " + lattice + ", beta: 1.5}\n"
                + "model: " + yamlModel + "\ntraining: {batch: 4, steps: 1, seed: " + seed + ", precision: float64}\n", "test");
        Module m = TrainedModel.build(cfg);
        try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope(); Rng rng = new Rng(seed + 7, F64)) {
            TensorVector ps = m.parameters();
            for (long i = 0; i < ps.size(); i++) {
                Tensor p = ps.get(i);
                p.add_(rng.normal(Tensors.shape(p)).mul(Tensors.scalar(0.05)));
            }
        }
        return new TrainedModel((org.gaugeflow.flow.Density) m, F64, cfg.theory().group(), cfg.theory().lattice(), 1.5,
                "sha256:test", "test", cfg, 0, "none");
    }

    /** log q of samples = logProb of the same samples (to 1e-9 absolute), and logProb of Haar fields is finite. */
    static void assertExact(TrainedModel m, long seed) {
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(seed, F64)) {
            Sample x = m.density().sample(3, rng);
            double[] lq = Tensors.toArray(x.logQ());
            double[] lp = Tensors.toArray(m.density().logProb(x.value()));
            for (int i = 0; i < lq.length; i++) {
                assertTrue(Double.isFinite(lq[i]), "log q " + lq[i]);
                assertEquals(lq[i], lp[i], 1e-9, m.name() + ": sample log q vs logProb, sample " + i);
            }
            double[] lh = Tensors.toArray(m.density().logProb(GaugeField.haar(m.group(), m.lattice(), 2, rng).links()));
            for (double v : lh) assertTrue(Double.isFinite(v), m.name() + ": logProb of a Haar field " + v);
        }
    }

    static Map<String, double[]> params(Module m) {
        Map<String, double[]> out = new HashMap<>();
        try (PointerScope s = new PointerScope()) {
            StringTensorDict d = m.named_parameters();
            for (long i = 0; i < d.size(); i++) out.put(d.get(i).key().getString(), Tensors.toArray(d.get(i).access().flatten()));
        }
        return out;
    }

    /** Asserts that every parameter of {@code nw} under {@code newPrefix} equals the old one under {@code oldPrefix}. */
    static void assertSameWeights(Map<String, double[]> nw, String newPrefix, Map<String, double[]> old, String oldPrefix) {
        int n = 0;
        for (var e : nw.entrySet()) {
            if (!e.getKey().startsWith(newPrefix)) continue;
            double[] o = old.get(oldPrefix + e.getKey().substring(newPrefix.length()));
            assertTrue(o != null, "no " + oldPrefix + " for " + e.getKey());
            assertTrue(java.util.Arrays.equals(o, e.getValue()), e.getKey() + " differs from its source");
            n++;
        }
        assertTrue(n > 0, "no parameters under " + newPrefix);
    }

    /** Every parameter under {@code newPrefix} differs from its namesake under {@code oldPrefix}. */
    static void assertDifferentWeights(Map<String, double[]> nw, String newPrefix, Map<String, double[]> old, String oldPrefix) {
        int n = 0;
        for (Map.Entry<String, double[]> e : nw.entrySet()) {
            if (!e.getKey().startsWith(newPrefix)) continue;
            double[] o = old.get(oldPrefix + e.getKey().substring(newPrefix.length()));
            assertTrue(o != null && !java.util.Arrays.equals(o, e.getValue()), e.getKey() + " was copied");
            n++;
        }
        assertTrue(n > 0, "no parameters under " + newPrefix);
    }

    /**
     * 2D U(1) (spline couplings, fine flow on top), 2x2 -> 8x8 trained layout moved to 16x16 and 32x8 with every mode:
     * exact densities; the layers of each direction come from the trained layers the mode names
     * (8x8 has layers mu = 0, 1, 0, 1; 16x16 has 0, 1, 0, 1, 0, 1).
     */
    @Test
    void twoDimensionalTransferIsExactAndMapsLayersByMode() {
        TrainedModel m = perturbed("u1", "8x8", "{type: multiscale, coarse: 2x2, scm_layers: 1, scm_hidden: [8], "
                + "fine_layers: 2, hidden: [4]}", 11);
        Map<String, double[]> old = params(m.module());
        for (VolumeTransfer.Mode mode : VolumeTransfer.Mode.values()) {
            TrainedModel big = m.onLattice(Lattice.parse("16x16"), mode);
            assertEquals(Lattice.parse("16x16"), big.lattice());
            assertEquals(6, ((MultiscaleModel) big.density()).layers().size());
            assertTrue(big.checksum().endsWith("@16x16/" + mode.label()), big.checksum());
            assertExact(big, 12);
            Map<String, double[]> nw = params(big.module());
            assertSameWeights(nw, "fineFlow.", old, "fineFlow.");
            // the finest layers (mu = 0: doubling4, mu = 1: doubling5) are the trained finest ones in both modes
            assertSameWeights(nw, "doubling4.", old, "doubling2.");
            assertSameWeights(nw, "doubling5.", old, "doubling3.");
            if (mode == VolumeTransfer.Mode.FRESH) {
                // the extra coarsest doublings (2x2 -> 4x2 -> 4x4) keep the weights they were built with
                assertDifferentWeights(nw, "doubling0.", old, "doubling0.");
                assertDifferentWeights(nw, "doubling1.", old, "doubling1.");
            } else {
                assertSameWeights(nw, "doubling0.", old, "doubling0.");
            }
            // the middle level: scale, fresh -> trained coarsest (it acts at the scale 4x4 -> 8x8 had); finest -> finest
            String mid = mode == VolumeTransfer.Mode.FINEST ? "doubling2." : "doubling0.";
            assertSameWeights(nw, "doubling2.", old, mid);
            assertExact(m.onLattice(Lattice.parse("32x8"), mode), 13);
        }
        // a smaller lattice takes the trained layers it needs
        TrainedModel small = m.onLattice(Lattice.parse("4x4"));
        assertExact(small, 14);
        assertSameWeights(params(small.module()), "doubling0.", old, "doubling2.");
        assertTrue(m.onLattice(m.lattice()) == m, "the same lattice is the same model");
        assertThrows(IllegalArgumentException.class, () -> m.onLattice(Lattice.parse("12x12")));
        assertThrows(IllegalArgumentException.class, () -> m.onLattice(Lattice.parse("8x8x8")));
    }

    /**
     * 3D U(1) 2x2x2 -> 4x4x4 moved to 8x4x4: the new finest mu = 0 layer's 4x4 slices need 2D layers that the trained
     * mu = 0 layer's 2x2 slice model does not have; they come from the trained mu = 2 layer's slice model. Exact.
     * The fine-lattice flow alone (u1-flow, SU(2) sun-flow) moves by name.
     */
    @Test
    void higherDimensionalAndFlowTransfersAreExact() {
        TrainedModel m = perturbed("u1", "4x4x4", "{type: multiscale, scm_layers: 1, scm_hidden: [8], fine_layers: 1, hidden: [4]}", 21);
        TrainedModel big = m.onLattice(Lattice.parse("8x4x4"));
        assertExact(big, 22);
        Map<String, double[]> nw = params(big.module());
        Map<String, double[]> old = params(m.module());
        assertSameWeights(nw, "doubling3.slice.doubling0.", old, "doubling2.slice.doubling0.");
        assertSameWeights(nw, "doubling3.slice.coarsePrior.", old, "doubling0.slice.coarsePrior.");
        assertSameWeights(nw, "doubling0.", old, "doubling0.");
        TrainedModel flow = perturbed("u1", "4x4x4", "{type: u1-flow, layers: 2, hidden: [4]}", 23);
        TrainedModel flowBig = flow.onLattice(Lattice.parse("8x8x4"));
        assertExact(flowBig, 24);
        assertSameWeights(params(flowBig.module()), "", params(flow.module()), "");
        TrainedModel su2 = perturbed("su2", "4x4", "{type: sun-flow, hidden: [4], bins: 4}", 25);
        assertExact(su2.onLattice(Lattice.parse("8x4")), 26);
    }

    /**
     * The demo's model (heatbath staple-conditional models) trained on 8x8 at beta = 1 for a few seconds and run on 16x16
     * by volume transfer: an independence chain reproduces the exact 16x16 plaquette within 4 sigma (Gamma-method error,
     * capped so a stuck chain cannot pass).
     */
    @Test
    void independenceChainWithATransferredModelIsExact(@TempDir Path dir) throws Exception {
        double beta = 1.0;
        TrainedModel small = Demo.trainModel(dir.resolve("model"), Lattice.parse("8x8"), beta, 100, 3, null);
        Lattice lat = Lattice.parse("16x16");
        TrainedModel big = small.onLattice(lat);
        List<Double> plaq = new ArrayList<>();
        double acc;
        HybridChain.Builder b = new HybridChain.Builder().theory(big.group(), lat, beta).schedule(Schedule.independence())
                .seed(31).proposalBatch(256).model(big.density(), big.options(), big.name(), big.checksum());
        try (HybridChain chain = b.build()) {
            assertTrue(chain.consistency().passed());
            chain.run(6000, (r, s) -> {
                if (r.update() > 200) plaq.add(r.observables()[0]);
            });
            acc = chain.state().acceptance(UpdateKind.FLOW);
        }
        GammaResult g = GammaMethod.analyze(plaq.stream().mapToDouble(Double::doubleValue).toArray());
        double exact = new ExactU1TwoD(beta, lat.volume()).plaquette();
        String msg = String.format("IM 16x16 beta=1 with an 8x8 model: <P> = %.5f +- %.5f (tau_int %.1f, acceptance %.3f) vs exact %.5f",
                g.mean(), g.error(), g.tauInt(), acc, exact);
        System.out.println(msg);
        assertTrue(acc > 0.1, "acceptance too low for a meaningful test: " + msg);
        assertTrue(g.error() > 0 && g.error() < 0.005, "sigma too large: " + msg);
        assertTrue(Math.abs(g.mean() - exact) < 4 * g.error(), msg);
    }
}
