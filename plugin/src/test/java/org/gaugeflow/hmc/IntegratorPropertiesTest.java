package org.gaugeflow.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reversibility and the step-size scaling of |Delta H| for both engines. Leapfrog and Omelyan 2MN
 * (docs/conventions.md) are both second-order symplectic integrators: the shadow Hamiltonian differs
 * from H by O(eps^2), so |Delta H| of one trajectory falls like eps^2 for both, with a much smaller
 * coefficient for 2MN (its lambda minimizes the norm of the eps^2 error terms). What falls like eps^4
 * is the equilibrium mean <Delta H> = <Delta H^2>/2 + ..., not |Delta H| of a trajectory.
 */
class IntegratorPropertiesTest {

    /** Forward, negate P, forward: back to the start to 1e-10. */
    @ParameterizedTest
    @CsvSource({"native, u1, 6x6, 3.0, leapfrog", "native, su3, 4x4x4x4, 5.6, omelyan",
            "torch, u1, 6x6, 3.0, omelyan", "torch, su3, 4x4x2x2, 5.6, leapfrog", "torch, su2, 4x4x4, 2.2, omelyan"})
    void trajectoriesAreReversible(String engineName, String group, String lattice, double beta, String integrator) {
        TorchRuntime.configure();
        try (PointerScope scope = new PointerScope(); HmcEngine engine = HmcTestSupport.engine(engineName, 5)) {
            HmcParameters params = new HmcParameters(beta, 1.0, 10, Integrator.parse(integrator));
            GaugeField start = HmcTestSupport.hotField(group, Lattice.parse(lattice), 1, 9);
            GaugeField f = HmcTestSupport.copy(start);
            Tensor p0 = engine.randomMomenta(f);
            Tensor p = p0.clone();
            engine.integrate(f, p, params);
            assertTrue(HmcTestSupport.maxAbsDiff(f.links(), start.links()) > 1e-2, "the trajectory moved the field");
            p.neg_();
            engine.integrate(f, p, params);
            p.neg_();
            double du = HmcTestSupport.maxAbsDiff(f.links(), start.links());
            double dp = HmcTestSupport.maxAbsDiff(p, p0);
            assertTrue(du < 1e-10, "field returns to " + du);
            assertTrue(dp < 1e-10, "momenta return to " + dp);
        }
    }

    /**
     * |Delta H| against eps = tau/steps for steps = 8, 16, 32, 64: the least-squares slope of
     * log|Delta H| against log eps is 2 for both integrators, and at equal eps 2MN's |Delta H| is
     * several times smaller than leapfrog's.
     */
    /** The integrators of the native and torch engines (force-gradient is Grid's, tested in the grid module). */
    private static final Integrator[] SECOND_ORDER = {Integrator.LEAPFROG, Integrator.OMELYAN};

    @ParameterizedTest
    @CsvSource({"native, su3, 4x4x4x4, 5.7", "native, u1, 8x8, 2.0", "torch, su2, 4x4x4, 2.2"})
    void deltaHFallsLikeEpsSquared(String engineName, String group, String lattice, double beta) {
        TorchRuntime.configure();
        try (PointerScope scope = new PointerScope(); HmcEngine engine = HmcTestSupport.engine(engineName, 6)) {
            GaugeField start = HmcTestSupport.hotField(group, Lattice.parse(lattice), 1, 10);
            Tensor p0 = engine.randomMomenta(start);
            double h0 = engine.hamiltonian(start, p0, beta)[0];
            int[] steps = {8, 16, 32, 64};
            double[][] dh = new double[2][steps.length];
            for (Integrator integrator : SECOND_ORDER) {
                for (int k = 0; k < steps.length; k++) {
                    try (PointerScope inner = new PointerScope()) {
                        GaugeField f = HmcTestSupport.copy(start);
                        Tensor p = p0.clone();
                        engine.integrate(f, p, new HmcParameters(beta, 1.0, steps[k], integrator));
                        dh[integrator.ordinal()][k] = Math.abs(engine.hamiltonian(f, p, beta)[0] - h0);
                    }
                }
            }
            for (Integrator integrator : SECOND_ORDER) {
                double slope = logLogSlope(steps, dh[integrator.ordinal()]);
                assertEquals(2.0, slope, 0.15, integrator + " |dH| = " + java.util.Arrays.toString(dh[integrator.ordinal()]));
            }
            for (int k = 0; k < steps.length; k++) {
                assertTrue(dh[1][k] < dh[0][k] / 4, "omelyan " + dh[1][k] + " vs leapfrog " + dh[0][k]);
            }
        }
    }

    /** Least-squares slope of log|dH| against log eps, eps = 1/steps. */
    static double logLogSlope(int[] steps, double[] dh) {
        int n = steps.length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = 0; k < n; k++) {
            double x = Math.log(1.0 / steps[k]);
            double y = Math.log(dh[k]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
