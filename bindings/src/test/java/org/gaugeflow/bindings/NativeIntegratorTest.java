package org.gaugeflow.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleComplex;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Exponential map, reversibility and a small exact physics check of the native engine alone. */
class NativeIntegratorTest {

    /** U <- exp(i t P) U agrees with LibTorch's matrix_exp to rounding, also when scaling and squaring is used. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void exponentialMapMatchesLibTorch(int nc) {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(nc, 3, 2, 2);
            for (double t : new double[] {0.05, 0.7, 3.0}) {
                Tensor u = TestFields.zeros(lat, 1);
                Tensor p = TestFields.zeros(lat, 1);
                lat.unitField(u, 0);
                lat.randomMomenta(p, 0, 4, 1);
                Tensor expected = torch.linalg_matrix_exp(p.mul(new Scalar(new DoubleComplex(0, t))));
                // beta = 0: one leapfrog step is exactly U <- exp(i t P) U
                lat.integrate(u, 0, p.clone(), 0, NativeEngine.GF_LEAPFROG, 0.0, t, 1);
                double diff = u.sub(expected).abs().max().item_double();
                assertTrue(diff < 2e-14, "N=" + nc + " t=" + t + " max |diff| = " + diff);
            }
        }
    }

    /** Forward, negate P, forward again: back to the start to 1e-10 (both integrators, all groups). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void integratorsAreReversible(int nc) {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(nc, 4, 4, 2, 3);
            for (int integrator : new int[] {NativeEngine.GF_LEAPFROG, NativeEngine.GF_OMELYAN}) {
                Tensor u = TestFields.zeros(lat, 1);
                Tensor p = TestFields.zeros(lat, 1);
                lat.randomField(u, 0, 21, 0);
                lat.randomMomenta(p, 0, 22, 0);
                double[] u0 = TestFields.read(lat, u, 0);
                double[] p0 = TestFields.read(lat, p, 0);
                lat.integrate(u, 0, p, 0, integrator, 3.0, 1.0, 12);
                p.neg_();
                lat.integrate(u, 0, p, 0, integrator, 3.0, 1.0, 12);
                p.neg_();
                assertTrue(TestFields.maxAbsDiff(u0, TestFields.read(lat, u, 0)) < 1e-10);
                assertTrue(TestFields.maxAbsDiff(p0, TestFields.read(lat, p, 0)) < 1e-10);
            }
        }
    }

    /**
     * 2D U(1), 4x4, beta = 2: <cos theta_P> = 0.6992519268 (exact, docs/reference-values.md) and the Creutz
     * equality <exp(-dH)> = 1, each within 4 sigma (binned errors).
     */
    @Test
    void smallU1LatticeMatchesExactPlaquette() {
        try (PointerScope scope = new PointerScope()) {
            NativeLattice lat = new NativeLattice(1, 4, 4);
            Tensor u = TestFields.zeros(lat, 1);
            lat.unitField(u, 0);
            int therm = 200;
            int n = 20000;
            double[] plaq = new double[n];
            double[] expMinusDh = new double[n];
            for (int k = 0; k < therm + n; k++) {
                NativeTrajectory t = lat.trajectory(u, 0, NativeEngine.GF_LEAPFROG, 2.0, 1.0, 8, 2024, k, null, 0);
                if (k >= therm) {
                    plaq[k - therm] = t.plaquette();
                    expMinusDh[k - therm] = Math.exp(-t.deltaH());
                }
            }
            double[] pm = binnedMeanAndError(plaq, 200);
            double[] em = binnedMeanAndError(expMinusDh, 200);
            assertEquals(0.6992519268, pm[0], 4 * pm[1], "plaquette " + pm[0] + " +- " + pm[1]);
            assertEquals(1.0, em[0], 4 * em[1], "<exp(-dH)> " + em[0] + " +- " + em[1]);
            assertTrue(pm[1] < 0.003, "error too large to test anything: " + pm[1]);
        }
    }

    /** Mean and standard error from means of bins of the given size. */
    static double[] binnedMeanAndError(double[] x, int bin) {
        int nb = x.length / bin;
        double[] means = new double[nb];
        double total = 0;
        for (int b = 0; b < nb; b++) {
            double s = 0;
            for (int i = 0; i < bin; i++) {
                s += x[b * bin + i];
            }
            means[b] = s / bin;
            total += means[b];
        }
        double mean = total / nb;
        double var = 0;
        for (double m : means) {
            var += (m - mean) * (m - mean);
        }
        var /= (nb - 1);
        return new double[] {mean, Math.sqrt(var / nb)};
    }
}
