package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.BlockCoupling;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.physics.TopologicalCharge;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The coarse Wilson prior (2D U(1) at beta_c on the coarse lattice): exact sampler, exact density. */
class U1CoarseWilsonPriorTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    /** Mean and standard error of a sample. */
    static double[] meanAndError(double[] x) {
        double m = 0;
        for (double v : x) m += v;
        m /= x.length;
        double s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return new double[] {m, Math.sqrt(s / (x.length - 1) / x.length)};
    }

    /**
     * Independent samples reproduce the exact plaquette and <Q^2> of 2D U(1) at beta_c on that lattice within 4 sigma
     * (ExactU1TwoD): the plaquette angles, the torus constraint and the axial-gauge construction are right. The log q
     * returned with the samples is the closed form beta_c sum cos phi_P - log Z_c.
     */
    @ParameterizedTest(name = "{0} at beta_c = {1}")
    @CsvSource({"2x2, 1.5", "4x2, 0.7", "2x4, 3.0", "3x3, 2.0"})
    void samplesReproduceTheExactTheory(String lattice, double betaC) {
        Lattice l = Lattice.parse(lattice);
        U1CoarseWilsonPrior prior = new U1CoarseWilsonPrior(l, betaC);
        ExactU1TwoD exact = new ExactU1TwoD(betaC, l.volume());
        int n = 40_000;
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(31, F64); NoGradGuard g = new NoGradGuard()) {
            Sample x = prior.sample(n, rng);
            GaugeField f = new GaugeField(U1.INSTANCE, l, x.value());
            double[] p = meanAndError(Tensors.toArray(WilsonAction.averagePlaquette(f)));
            Tensor q = TopologicalCharge.u1TwoDimensional(f);
            double[] q2 = meanAndError(Tensors.toArray(q.mul(q)));
            System.out.printf("coarse Wilson prior %s beta_c %.2f: <P> %.5f(%.0f) exact %.5f; <Q^2> %.5f(%.0f) exact %.5f%n",
                    lattice, betaC, p[0], p[1] * 1e5, exact.plaquette(), q2[0], q2[1] * 1e5, exact.topologicalChargeSquared());
            assertTrue(Math.abs(p[0] - exact.plaquette()) < 4 * p[1], "plaquette " + p[0] + " +- " + p[1]);
            assertTrue(Math.abs(q2[0] - exact.topologicalChargeSquared()) < 4 * q2[1], "<Q^2> " + q2[0] + " +- " + q2[1]);
            assertTrue(p[1] < 0.003 && q2[1] < 0.01, "errors too large to test anything");
            Tensor closedForm = WilsonAction.sumReTracePlaquettes(f).mul(Tensors.scalar(betaC)).sub(Tensors.scalar(exact.logZ()));
            assertTrue(Tensors.maxAbs(x.logQ().sub(closedForm)) < 1e-10);
        }
    }

    /** E_Haar[q] = 1: the density is normalized with respect to the Haar measure (log Z_c independently checked). */
    @Test
    void densityIsNormalizedAgainstHaar() {
        Lattice l = Lattice.parse("2x2");
        U1CoarseWilsonPrior prior = new U1CoarseWilsonPrior(l, 1.0);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(32, F64); NoGradGuard g = new NoGradGuard()) {
            GaugeField haar = GaugeField.haar(U1.INSTANCE, l, 200_000, rng);
            double[] w = meanAndError(Tensors.toArray(prior.logProb(haar.links()).exp()));
            assertTrue(Math.abs(w[0] - 1) < 4 * w[1] && w[1] < 0.01, "E_Haar[q] = " + w[0] + " +- " + w[1]);
        }
        assertEquals(0.0, Tensors.maxAbs(new U1CoarseWilsonPrior(l, 0).logProb(GaugeField.unit(U1.INSTANCE, l, 3, F64).links())), 0.0);
    }

    /**
     * A multiscale model on the coarse Wilson prior: log q of its samples equals logProb to 1e-10, and as an
     * independence-Metropolis proposal on 4x4 at beta = 2 it reproduces the exact plaquette 0.6992519268 within 4 sigma.
     */
    @Test
    void multiscaleModelOnTheCoarseWilsonPriorIsExact() {
        double beta = 2;
        Lattice coarse = Lattice.parse("2x2");
        Lattice target = Lattice.parse("4x4");
        MultiscaleModel m;
        try (Rng init = new Rng(25, F64)) {
            m = U1Models.multiscale(coarse, target, new U1Models.Spec(2, 8, new int[] {16, 16},
                    new BetaTildeStart.Auto(beta, target), new U1FineLatticeFlow.Architecture(2, 8, new int[] {8, 8}, 3),
                    MultiscaleModel.Structure.DEFAULT, BlockCoupling.of(beta, 4)), F64, init);
        }
        assertTrue(m.coarsePrior() instanceof U1CoarseWilsonPrior);
        int batches = 20;
        int batch = 1000;
        double[] logW = new double[batches * batch];
        double[] plaq = new double[batches * batch];
        WilsonAction action = new WilsonAction(beta);
        try (Rng rng = new Rng(23, F64); NoGradGuard g = new NoGradGuard()) {
            for (int b = 0; b < batches; b++) {
                try (PointerScope scope = new PointerScope()) {
                    MultiscaleModel.FieldSample s = m.sampleField(batch, rng);
                    if (b == 0) {
                        double diff = Tensors.maxAbs(m.logProb(s.field().links()).sub(s.logQ()));
                        assertTrue(diff < 1e-10, "log q differs from logProb by " + diff);
                    }
                    System.arraycopy(Tensors.toArray(action.logWeight(s.field()).sub(s.logQ())), 0, logW, b * batch, batch);
                    System.arraycopy(Tensors.toArray(WilsonAction.averagePlaquette(s.field())), 0, plaq, b * batch, batch);
                }
            }
        }
        IndependenceMetropolis.Result r = IndependenceMetropolis.run(logW, plaq, 24, 400);
        double exact = 0.6992519268;
        System.out.printf("IMH 4x4 beta=2, coarse Wilson prior: <P> = %.5f +- %.5f (exact %.10f), acceptance %.3f%n",
                r.mean(), r.error(), exact, r.acceptance());
        assertTrue(r.acceptance() > 0.05, "acceptance " + r.acceptance());
        assertTrue(r.error() < 0.01, "error " + r.error() + ": too large to test anything");
        assertTrue(Math.abs(r.mean() - exact) < 4 * r.error(), "plaquette " + r.mean() + " +- " + r.error() + " vs exact " + exact);
    }

    @Test
    void badInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new U1CoarseWilsonPrior(Lattice.parse("2x2x2"), 1.0));
        assertTrue(e.getMessage().contains("expected a 2D lattice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new U1CoarseWilsonPrior(Lattice.parse("2x2"), -1));
        assertEquals("coarse_beta = -1.0: expected a coupling in [0, 200]", e.getMessage());
    }
}
