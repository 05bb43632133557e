package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.GaugeTransformation;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The SU(3) multiscale model (SUNStapleConditionalModel in the doubling layers, fine flow on top). */
class SUNMultiscaleModelTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;
    static final SUN SU3 = new SUN(3);

    static MultiscaleModel model(Lattice target, double initScale, SUNFineLatticeFlow.Architecture fine) {
        try (Rng init = new Rng(41, F64)) {
            return SUNModels.multiscale(SU3, Lattice.parse("2x2"), target,
                    new SUNModels.Spec(2, new int[] {8}, 4, initScale, fine), F64, init);
        }
    }

    @Test
    void logProbOfSamplesEqualsLogQAndIsGaugeInvariant() {
        Lattice target = Lattice.parse("4x4");
        MultiscaleModel m = model(target, 0.5, new SUNFineLatticeFlow.Architecture(1, new int[] {8}, 4, 0.5));
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, F64); NoGradGuard ng = new NoGradGuard()) {
            Sample x = m.sample(3, rng);
            Tensor lp = m.logProb(x.value());
            assertTrue(Tensors.maxAbs(lp.sub(x.logQ())) < 1e-10, "logProb(sample) != log q: " + Tensors.maxAbs(lp.sub(x.logQ())));
            assertTrue(Tensors.maxAbs(x.logQ()) > 1e-2, "log q = 0: the model is Haar, nothing tested");
            GaugeField f = new GaugeField(SU3, target, x.value());
            Tensor omega = GaugeTransformation.random(f, rng);
            Tensor lpT = m.logProb(GaugeTransformation.apply(f, omega).links());
            assertTrue(Tensors.maxAbs(lpT.sub(lp)) < 1e-10, "log q not gauge invariant: " + Tensors.maxAbs(lpT.sub(lp)));
            // and of an arbitrary (Haar) configuration
            GaugeField h = GaugeField.haar(SU3, target, 2, rng);
            Tensor a = m.logProb(h.links());
            Tensor b = m.logProb(GaugeTransformation.apply(h, GaugeTransformation.random(h, rng)).links());
            assertTrue(Tensors.maxAbs(a.sub(b)) < 1e-10, "log q of a Haar field not gauge invariant");
        }
    }

    /**
     * An untrained (random, non-identity) multiscale proposal 2x2 -> 4x4 in an independence-Metropolis chain
     * reproduces the 2D SU(3) plaquette at beta = 2, 0.1286278 (docs/reference-values.md, infinite volume; on 4x4 the
     * finite-volume corrections fall like (0.13)^16 ~ 1e-14), within 4 sigma with a binned error.
     */
    @Test
    void independenceMetropolisReproducesTheExactPlaquette() {
        Lattice target = Lattice.parse("4x4");
        MultiscaleModel m = model(target, 0.3, null);
        WilsonAction action = new WilsonAction(2.0);
        int batches = 8;
        int batch = 1000;
        double[] logW = new double[batches * batch];
        double[] plaq = new double[batches * batch];
        try (Rng rng = new Rng(7, F64); NoGradGuard ng = new NoGradGuard()) {
            for (int i = 0; i < batches; i++) {
                try (PointerScope s = new PointerScope()) {
                    Sample x = m.sample(batch, rng);
                    GaugeField f = new GaugeField(SU3, target, x.value());
                    System.arraycopy(Tensors.toArray(action.logWeight(f).sub(x.logQ())), 0, logW, i * batch, batch);
                    System.arraycopy(Tensors.toArray(WilsonAction.averagePlaquette(f)), 0, plaq, i * batch, batch);
                }
            }
        }
        IndependenceMetropolis.Result r = IndependenceMetropolis.run(logW, plaq, 11, logW.length / 40); // 40 bins
        double exact = 0.1286278;
        double[] est = {r.mean(), r.error()};
        double acceptance = r.acceptance();
        assertTrue(acceptance > 0.02, "acceptance " + acceptance + " too low for a meaningful test");
        assertTrue(Math.abs(est[0] - exact) < 4 * est[1], "plaquette " + est[0] + " +- " + est[1] + ", exact " + exact
                + " (acceptance " + acceptance + ")");
        System.out.printf("IMH SU(3) 4x4 beta=2: plaquette %.5f +- %.5f (exact %.7f), acceptance %.3f%n", est[0], est[1],
                exact, acceptance);
    }
}
