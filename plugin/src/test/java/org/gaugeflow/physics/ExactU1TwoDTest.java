package org.gaugeflow.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExactU1TwoDTest {

    /** The table of docs/reference-values.md: L, beta, <cos phi_P>, <Q^2>. */
    private static final double[][] TABLE = {
        {4, 2, 0.6992519268, 0.29063611},
        {8, 1, 0.4463899659, 2.60071911},
        {8, 2, 0.6977746580, 1.23929891},
        {8, 3, 0.8099855474, 0.70784301},
        {8, 4, 0.8635300425, 0.48201593},
        {8, 6, 0.9124549149, 0.27920085},
    };

    @Test
    void reproducesTheDesignTable() {
        for (double[] row : TABLE) {
            ExactU1TwoD e = new ExactU1TwoD(row[1], (long) (row[0] * row[0]));
            assertEquals(row[2], e.plaquette(), 1e-10, "plaquette L=" + row[0] + " beta=" + row[1]);
            assertEquals(row[3], e.topologicalChargeSquared(), 1e-8, "<Q^2> L=" + row[0] + " beta=" + row[1]);
        }
    }

    /**
     * log Z: Z(V = 1) = sum_n I_n(beta) = e^beta (the generating function at t = 1); Z(beta = 0) = 1;
     * d log Z / d beta = V <cos phi_P>; and the values of an independent evaluation (e^{-beta} I_n by the
     * trapezoid rule on 4096 intervals, spectrally exact here), which the training reports used before.
     */
    @Test
    void logPartitionFunction() {
        for (double beta : new double[] {0.5, 2, 6, 12}) assertEquals(beta, ExactU1TwoD.logZ(beta, 1), 1e-12 * beta);
        assertEquals(0.0, ExactU1TwoD.logZ(0, 64), 1e-14);
        for (double beta : new double[] {1, 2, 4}) {
            double h = 1e-4;
            double dlogZ = (ExactU1TwoD.logZ(beta + h, 64) - ExactU1TwoD.logZ(beta - h, 64)) / (2 * h);
            assertEquals(new ExactU1TwoD(beta, 64).plaquette(), dlogZ / 64, 1e-8, "beta " + beta);
        }
        assertEquals(52.73558665510833, ExactU1TwoD.logZ(2, 64), 1e-10);
        assertEquals(155.19842583416647, ExactU1TwoD.logZ(4, 64), 1e-10);
        assertEquals(269.32947692485993, ExactU1TwoD.logZ(6, 64), 1e-10);
        assertEquals(10085.890559081312, ExactU1TwoD.logZ(12, 1024), 1e-8);
    }

    @Test
    void besselFunctionsMatchKnownValues() {
        // Abramowitz & Stegun table 9.8 / standard values
        assertEquals(2.2795853023360673, Math.exp(ExactU1TwoD.logBesselI(0, 2)), 1e-14);
        assertEquals(1.5906368546373291, Math.exp(ExactU1TwoD.logBesselI(1, 2)), 1e-14);
        assertEquals(67.23440697647798, Math.exp(ExactU1TwoD.logBesselI(0, 6)), 1e-11);
        // recurrence I_(n-1) - I_(n+1) = (2n/x) I_n
        for (int n = 1; n < 30; n++) {
            double x = 3.7;
            double lhs = Math.exp(ExactU1TwoD.logBesselI(n - 1, x)) - Math.exp(ExactU1TwoD.logBesselI(n + 1, x));
            double rhs = 2 * n / x * Math.exp(ExactU1TwoD.logBesselI(n, x));
            assertEquals(1.0, lhs / rhs, 1e-12, "n = " + n);
        }
    }

    /**
     * V = 3 by direct integration: two free plaquette angles phi_1, phi_2 and phi_3 = -(phi_1 + phi_2) mod 2 pi;
     * with S = phi_1 + phi_2 in (-2 pi, 2 pi), Q = +-1 where |S| > pi. The weight of S is
     * g(S) e^(beta cos S), g(S) = int e^(beta (cos phi + cos(S - phi))) dphi over the phi with both angles in
     * (-pi, pi), and the S integral is split at the jumps +-pi (Simpson on each smooth piece).
     */
    @Test
    void threePlaquettesAgreeWithDirectIntegration() {
        double beta = 2;
        double[] z = new double[2]; // {all, |S| > pi}
        double[][] pieces = {{-2 * Math.PI, -Math.PI}, {-Math.PI, Math.PI}, {Math.PI, 2 * Math.PI}};
        double sumCos = 0;
        for (int p = 0; p < 3; p++) {
            int m = 1000;
            double h = (pieces[p][1] - pieces[p][0]) / m;
            for (int i = 0; i <= m; i++) {
                double s = pieces[p][0] + i * h;
                double w = (i == 0 || i == m) ? 1 : (i % 2 == 1 ? 4 : 2);
                double g = 0;
                double gc = 0;
                double lo = Math.max(-Math.PI, s - Math.PI);
                double hi = Math.min(Math.PI, s + Math.PI);
                int k = 400;
                double hp = (hi - lo) / k;
                for (int j = 0; j <= k; j++) {
                    double phi = lo + j * hp;
                    double wj = ((j == 0 || j == k) ? 1 : (j % 2 == 1 ? 4 : 2)) * hp / 3;
                    double e = wj * Math.exp(beta * (Math.cos(phi) + Math.cos(s - phi)));
                    g += e;
                    gc += e * Math.cos(phi);
                }
                double f = w * h / 3 * Math.exp(beta * Math.cos(s));
                z[0] += f * g;
                if (p != 1) z[1] += f * g;
                sumCos += f * gc;
            }
        }
        ExactU1TwoD e = new ExactU1TwoD(beta, 3);
        assertEquals(z[1] / z[0], e.topologicalChargeSquared(), 1e-9);
        assertEquals(sumCos / z[0], e.plaquette(), 1e-9);
    }

    @Test
    void largeVolumeLoopsFactorizeAndSmallVolumeHasNoTopology() {
        ExactU1TwoD big = new ExactU1TwoD(2, 100_000);
        double r = Math.exp(ExactU1TwoD.logBesselI(1, 2) - ExactU1TwoD.logBesselI(0, 2));
        assertEquals(r, big.plaquette(), 1e-12);
        assertEquals(Math.pow(r, 6), big.wilsonLoop(6), 1e-12);
        assertEquals(1.0, big.wilsonLoop(0), 1e-15);
        // beta = 0: Haar-random links; one plaquette angle is uniform, <cos> = 0
        assertEquals(0.0, new ExactU1TwoD(0, 64).plaquette(), 1e-15);
    }
}
