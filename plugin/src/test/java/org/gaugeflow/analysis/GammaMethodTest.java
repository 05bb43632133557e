package org.gaugeflow.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Gamma method against processes with known autocorrelation: AR(1) x_t = rho x_{t-1} +
 * sqrt(1 - rho^2) eta_t has Var x = 1, tau_int = (1 + rho) / (2 (1 - rho)) and
 * Var(mean) = 2 tau_int / N (for large N).
 */
class GammaMethodTest {

    static double[] ar1(double rho, int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        double c = Math.sqrt(1 - rho * rho);
        x[0] = r.nextGaussian();
        for (int i = 1; i < n; i++) {
            x[i] = rho * x[i - 1] + c * r.nextGaussian();
        }
        return x;
    }

    @Test
    void ar1TauIntAndErrorMatchExactValues() {
        double rho = 0.8;
        int n = 200_000;
        GammaResult g = GammaMethod.analyze(ar1(rho, n, 42));
        double tauExact = (1 + rho) / (2 * (1 - rho));
        double errorExact = Math.sqrt(2 * tauExact / n);
        assertEquals(tauExact, g.tauInt(), 4 * g.tauIntError(), g.toString());
        assertEquals(errorExact, g.error(), 4 * g.errorOfError(), g.toString());
        assertEquals(0.0, g.mean(), 4 * g.error(), g.toString());
        assertTrue(g.window() > 5 && g.window() < 100, "window " + g.window());
    }

    @Test
    void whiteNoiseHasTauIntOneHalf() {
        GammaResult g = GammaMethod.analyze(ar1(0.0, 50_000, 7));
        assertEquals(0.5, g.tauInt(), 4 * g.tauIntError() + 1e-12, g.toString());
        assertEquals(Math.sqrt(1.0 / 50_000), g.error(), 4 * g.errorOfError(), g.toString());
    }

    /** Over many independent series, the true mean lies within 2 sigma in ~95.4% of them. */
    @Test
    void errorsCoverTheTrueMean() {
        int series = 400;
        int inside = 0;
        for (int k = 0; k < series; k++) {
            GammaResult g = GammaMethod.analyze(ar1(0.5, 5000, 1000 + k));
            if (Math.abs(g.mean()) < 2 * g.error()) {
                inside++;
            }
        }
        double p = 0.9545;
        double sigma = Math.sqrt(p * (1 - p) / series);
        assertEquals(p, (double) inside / series, 4 * sigma, "coverage " + inside + "/" + series);
    }

    @Test
    void constantSeriesHasNoError() {
        GammaResult g = GammaMethod.analyze(new double[] {2.5, 2.5, 2.5, 2.5});
        assertEquals(2.5, g.mean(), 0.0);
        assertEquals(0.0, g.error(), 0.0);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GammaMethod.analyze(new double[] {1.0}));
        assertThrows(IllegalArgumentException.class, () -> GammaMethod.analyze(new double[] {1.0, Double.NaN, 2.0}));
        assertThrows(IllegalArgumentException.class, () -> new GammaMethod(0.0));
    }
}
