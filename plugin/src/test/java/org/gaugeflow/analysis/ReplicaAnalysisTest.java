package org.gaugeflow.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Wolff's replica formula (Sec. 3.3) against AR(1) processes with known mean, tau_int and error:
 * x_t = rho x_{t-1} + sqrt(1 - rho^2) eta_t has mean 0, Var x = 1, tau_int = (1 + rho) / (2 (1 - rho)) and
 * Var(mean of N values) = 2 tau_int / N for large N, whether the N values come from one chain or from R replicas.
 */
class ReplicaAnalysisTest {

    static double[] ar1(double rho, int n, long seed, double shift) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double v = gaussian(r);   // stationary start
        double c = Math.sqrt(1 - rho * rho);
        for (int i = 0; i < n; i++) {
            v = rho * v + c * gaussian(r);
            x[i] = v + shift;
        }
        return x;
    }

    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }

    @Test
    void combinedReplicasGiveTheExactTauIntAndError() {
        double rho = 0.8;
        int replicas = 8;
        int n = 5000;
        double[][] series = new double[replicas][];
        for (int k = 0; k < replicas; k++) series[k] = ar1(rho, n, 100 + k, 0.0);
        ReplicaAnalysis a = ReplicaAnalysis.of(series);
        GammaResult g = a.combined();
        double tauExact = (1 + rho) / (2 * (1 - rho));
        double errorExact = Math.sqrt(2 * tauExact / (replicas * n));
        assertEquals(replicas * n, g.n());
        assertEquals(tauExact, g.tauInt(), 4 * g.tauIntError(), g.toString());
        assertEquals(errorExact, g.error(), 4 * g.errorOfError(), g.toString());
        assertEquals(0.0, g.mean(), 4 * errorExact, "mean within 4 sigma of the exact 0");
        assertTrue(g.error() < errorExact * 2, "error not inflated");
        // each replica alone: the same tau_int, an error sqrt(R) larger
        for (GammaResult r : a.replicas()) {
            assertEquals(tauExact, r.tauInt(), 4 * r.tauIntError(), r.toString());
        }
        assertEquals(replicas - 1, a.dof());
        assertTrue(a.q() > 1e-3 && a.q() <= 1, "consistent replicas: Q = " + a.q());
    }

    @Test
    void aShiftedReplicaIsFlaggedByItsQValue() {
        double[][] series = new double[4][];
        for (int k = 0; k < 4; k++) series[k] = ar1(0.5, 4000, 7 + k, k == 2 ? 0.5 : 0.0);
        ReplicaAnalysis a = ReplicaAnalysis.of(series);
        assertTrue(a.q() < 1e-6, "a replica off by 0.5 (many sigma): Q = " + a.q() + ", chi2 = " + a.chi2());
    }

    @Test
    void oneReplicaIsTheSingleSeriesAnalysis() {
        double[] x = ar1(0.6, 3000, 3, 0.25);
        GammaResult one = GammaMethod.analyze(x);
        GammaResult rep = GammaMethod.analyzeReplicas(new double[][] {x});
        assertEquals(one, rep);
        assertTrue(Double.isNaN(ReplicaAnalysis.of(new double[][] {x}).q()));
    }

    @Test
    void chiSquaredQValuesAgreeWithTables() {
        assertEquals(0.05, ReplicaAnalysis.chiSquaredQ(3.841459, 1), 1e-6);
        assertEquals(0.05, ReplicaAnalysis.chiSquaredQ(18.307038, 10), 1e-6);
        assertEquals(Math.exp(-1), ReplicaAnalysis.chiSquaredQ(2.0, 2), 1e-14);      // dof 2: Q = exp(-chi2/2)
        assertEquals(0.01, ReplicaAnalysis.chiSquaredQ(6.634897, 1), 1e-6);
        assertEquals(1.0, ReplicaAnalysis.chiSquaredQ(0.0, 3), 0.0);
        assertThrows(IllegalArgumentException.class, () -> ReplicaAnalysis.chiSquaredQ(-1, 3));
    }

    @Test
    void badReplicasAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GammaMethod.analyzeReplicas(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> GammaMethod.analyzeReplicas(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> GammaMethod.analyzeReplicas(new double[][] {{1, Double.NaN, 3}}));
    }
}
