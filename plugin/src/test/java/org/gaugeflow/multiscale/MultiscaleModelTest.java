package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.GaugeTransformation;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiscaleModelTest {
    private static final FieldOptions OPT = FieldOptions.CPU_DOUBLE;

    static MultiscaleModel heatbathModel(String target, double betaTilde) {
        return MultiscaleModel.withHaarPrior(U1.INSTANCE, Lattice.parse("2x2"), Lattice.parse(target),
                (lat, mu) -> new U1HeatbathPrior(2, betaTilde, OPT), null);
    }

    /** Doubling layers with perturbed (untrained but non-trivial) U(1) staple-conditional flows. */
    static MultiscaleModel flowModel(String target, Rng rng) {
        return MultiscaleModel.withHaarPrior(U1.INSTANCE, Lattice.parse("2x2"), Lattice.parse(target),
                (lat, mu) -> StapleConditionalModelTest.perturbedModel(2, rng), null);
    }

    /** log q returned with a sample equals logProb of that sample (the inverse path) to 1e-10. */
    @ParameterizedTest(name = "staple-conditional flows: {0}")
    @ValueSource(booleans = {false, true})
    void sampledLogQEqualsLogProb(boolean flow) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(21, OPT); NoGradGuard g = new NoGradGuard()) {
            MultiscaleModel m = flow ? flowModel("8x8", rng) : heatbathModel("8x8", 1.3);
            MultiscaleModel.FieldSample s = m.sampleField(16, rng);
            assertEquals(Lattice.parse("8x8"), s.field().lattice());
            Tensor lp = m.logProb(s.field().links());
            double diff = Tensors.maxAbs(lp.sub(s.logQ()));
            assertTrue(diff < 1e-10, "log q differs from logProb by " + diff);
            assertTrue(Tensors.maxAbs(s.logQ()) > 1, "log q should not vanish for a heatbath model");
        }
    }

    /** The model density is gauge invariant: log q(U^Omega) = log q(U) for random Omega, on samples and on Haar fields. */
    @ParameterizedTest(name = "staple-conditional flows: {0}")
    @ValueSource(booleans = {false, true})
    void logQIsGaugeInvariant(boolean flow) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(22, OPT); NoGradGuard g = new NoGradGuard()) {
            MultiscaleModel m = flow ? flowModel("4x8", rng) : heatbathModel("4x8", 0.8);
            GaugeField[] fields = {m.sampleField(8, rng).field(), GaugeField.haar(U1.INSTANCE, Lattice.parse("4x8"), 8, rng)};
            for (GaugeField f : fields) {
                GaugeField t = GaugeTransformation.apply(f, GaugeTransformation.random(f, rng));
                double diff = Tensors.maxAbs(m.logProb(t.links()).sub(m.logProb(f.links())));
                assertTrue(diff < 1e-10, "log q changes under a gauge transformation by " + diff);
                assertTrue(Tensors.maxAbs(t.links().sub(f.links())) > 0.1);
            }
        }
    }

    /**
     * An untrained multiscale model (Haar 2x2 prior, U(1) staple-conditional flows, a fine-lattice flow on top: the
     * model of the Fig. 2 experiment, as built by {@link U1Models}) as an independence-Metropolis
     * proposal on 4x4 at beta = 2 reproduces the exact plaquette 0.6992519268 (docs/reference-values.md) within 4 sigma.
     */
    @Test
    void independenceMetropolisReproducesTheExactPlaquette() {
        double beta = 2;
        int batches = 40;
        int batch = 1000;
        double[] logW = new double[batches * batch];
        double[] plaq = new double[batches * batch];
        MultiscaleModel m;
        try (Rng init = new Rng(25, OPT)) {
            m = U1Models.multiscale(Lattice.parse("2x2"), Lattice.parse("4x4"), new U1Models.Spec(2, 8, new int[] {16, 16}, 1.0,
                    new org.gaugeflow.flow.u1.U1FineLatticeFlow.Architecture(2, 8, new int[] {8, 8}, 3)), OPT, init);
        }
        WilsonAction action = new WilsonAction(beta);
        try (Rng rng = new Rng(23, OPT); NoGradGuard g = new NoGradGuard()) {
            for (int b = 0; b < batches; b++) {
                try (PointerScope scope = new PointerScope()) {
                    MultiscaleModel.FieldSample s = m.sampleField(batch, rng);
                    double[] lw = Tensors.toArray(action.logWeight(s.field()).sub(s.logQ()));
                    double[] p = Tensors.toArray(WilsonAction.averagePlaquette(s.field()));
                    System.arraycopy(lw, 0, logW, b * batch, batch);
                    System.arraycopy(p, 0, plaq, b * batch, batch);
                }
            }
        }
        IndependenceMetropolis.Result r = IndependenceMetropolis.run(logW, plaq, 24, 400);
        double exact = 0.6992519268;
        System.out.printf("IMH 4x4 beta=2: <P> = %.5f +- %.5f (exact %.10f), acceptance %.3f%n", r.mean(), r.error(),
                exact, r.acceptance());
        assertTrue(r.acceptance() > 0.05, "acceptance " + r.acceptance());
        assertTrue(Math.abs(r.mean() - exact) < 4 * r.error(), "plaquette " + r.mean() + " +- " + r.error()
                + " vs exact " + exact);
    }
}
