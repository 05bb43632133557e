package org.gaugeflow.flow.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VonMisesTest {
    private static final FieldOptions O = FieldOptions.CPU_DOUBLE;

    private static Tensor full(double v, long n) { return torch.full(new long[] {n}, new Scalar(v), O.real()); }

    /** The exact density w.r.t. d theta / (2 pi) in plain Java (independent of the tensor code). */
    private static double density(double theta, double mu, double kappa, double i0e) {
        return Math.exp(kappa * (Math.cos(theta - mu) - 1)) / i0e;
    }

    /** e^{-k} I_0(k) = (1/pi) int_0^pi e^{k (cos t - 1)} dt, by the (spectrally exact) trapezoid rule. */
    private static double i0e(double k) {
        int n = 20000;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double w = (i == 0 || i == n) ? 0.5 : 1.0;
            sum += w * Math.exp(k * (Math.cos(Math.PI * i / n) - 1));
        }
        return sum / n;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1e-12, 1e-6, 0.3, 1.0, 7.5, 100.0, 1000.0, 1e5})
    void logDensityIntegratesToOne(double kappa) {
        try (PointerScope s = new PointerScope()) {
            int n = 400_000; // periodic trapezoid rule: exponentially accurate once the peak (width 1/sqrt(kappa)) is resolved
            Tensor theta = torch.arange(new Scalar(0.0), new Scalar((double) n), O.real()).mul(new Scalar(2 * Math.PI / n)).sub(new Scalar(Math.PI));
            Tensor q = VonMises.logDensity(theta, full(0.7, 1), full(kappa, 1)).exp();
            double integral = q.mean().item_double(); // (1/2pi) sum q dtheta
            assertEquals(1.0, integral, 1e-10, "integral of q d theta/2pi at kappa = " + kappa);
            assertTrue(torch.isfinite(q).all().item_bool());
        }
    }

    @Test
    void logI0MatchesIndependentValuesFromZeroToLargeKappa() {
        try (PointerScope s = new PointerScope()) {
            double[] ks = {0, 1e-8, 0.5, 3, 40, 700, 1000, 5000};
            double[] got = Tensors.toArray(VonMises.logI0(Tensors.fromArray(ks, ks.length)));
            for (int i = 0; i < ks.length; i++) {
                double want = ks[i] + Math.log(i0e(ks[i]));
                assertEquals(want, got[i], 1e-11 * Math.max(1, Math.abs(want)), "log I0(" + ks[i] + ")");
            }
            // asymptotic check at kappa = 1e4 (no overflow): k - log(2 pi k)/2 + log(1 + 1/(8k) + 9/(128 k^2))
            double k = 1e4;
            double asym = k - 0.5 * Math.log(2 * Math.PI * k) + Math.log1p(1 / (8 * k) + 9 / (128 * k * k));
            assertEquals(asym, VonMises.logI0(full(k, 1)).item_double(), 1e-9);
        }
    }

    /**
     * Kolmogorov-Smirnov goodness of fit of the sampler against the exact CDF (numerical quadrature of
     * the density), at small, moderate and large concentration, in both precisions. Critical value
     * 1.95 / sqrt(n) is the 0.1% level; with fixed seeds the test is deterministic.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1e-12:64", "0.2:64", "2.0:64", "30:64", "1000:64", "1000:32", "2.0:32"})
    void samplerMatchesTheExactCdf(String spec) {
        double kappa = Double.parseDouble(spec.split(":")[0]);
        Precision p = Precision.parse(spec.split(":")[1]);
        double mu = 2.5;
        int n = 40_000;
        FieldOptions o = FieldOptions.cpu(p);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(77, o)) {
            Tensor theta = VonMises.sample(torch.full(new long[] {n}, new Scalar(mu), o.real()),
                    torch.full(new long[] {n}, new Scalar(kappa), o.real()), rng);
            double[] x = Tensors.toArray(theta);
            for (double v : x) assertTrue(v >= -Math.PI && v < Math.PI, "sample " + v + " outside [-pi, pi)");
            // centre the samples on mu so the CDF is computed on (-pi, pi] around the peak
            for (int i = 0; i < n; i++) x[i] = Math.IEEEremainder(x[i] - mu, 2 * Math.PI);
            Arrays.sort(x);
            // exact CDF on a fine grid (trapezoid rule, resolved peak), interpolated linearly
            int m = 400_000;
            double[] cdf = new double[m + 1];
            double h = 2 * Math.PI / m;
            double norm = i0e(kappa);
            double prev = density(-Math.PI, 0, kappa, norm);
            for (int j = 1; j <= m; j++) {
                double cur = density(-Math.PI + j * h, 0, kappa, norm);
                cdf[j] = cdf[j - 1] + 0.5 * (prev + cur) * h / (2 * Math.PI);
                prev = cur;
            }
            double dMax = 0;
            for (int i = 0; i < n; i++) {
                double t = (x[i] + Math.PI) / h;
                int j = Math.min(m - 1, (int) Math.floor(t));
                double f = cdf[j] + (t - j) * (cdf[j + 1] - cdf[j]);
                dMax = Math.max(dMax, Math.max(Math.abs(f - (double) i / n), Math.abs(f - (double) (i + 1) / n)));
            }
            assertTrue(dMax * Math.sqrt(n) < 1.95, "KS statistic sqrt(n) D = " + dMax * Math.sqrt(n) + " at kappa " + kappa);
        }
    }

    /** The mean resultant length E cos(theta - mu) = I_1/I_0 at kappa = 1e3 and 1e5, within 4 sigma. */
    @ParameterizedTest
    @ValueSource(doubles = {1000.0, 1e5})
    void stableAtLargeConcentration(double kappa) {
        int n = 200_000;
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, O)) {
            Tensor theta = VonMises.sample(full(-3.0, n), full(kappa, n), rng);
            Tensor c = torch.cos(theta.add(new Scalar(3.0)));
            double mean = c.mean().item_double();
            double err = c.std(true).item_double() / Math.sqrt(n);
            // I_1/I_0 = 1 - 1/(2k) - 1/(8k^2) - 1/(8k^3) + O(k^-4)
            double want = 1 - 1 / (2 * kappa) - 1 / (8 * kappa * kappa) - 1 / (8 * kappa * kappa * kappa);
            assertTrue(Math.abs(mean - want) < 4 * err, "E cos = " + mean + " +- " + err + ", want " + want);
            assertTrue(torch.isfinite(VonMises.logDensity(theta, full(-3.0, n), full(kappa, n))).all().item_bool());
        }
    }

    @Test
    void densityInterfaceWithContextAndHaarPrior() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, O)) {
            Tensor ctx = torch.stack(new org.bytedeco.pytorch.TensorVector(rng.normal(4, 5), rng.uniform(4, 5).mul(new Scalar(3))), -1);
            VonMises vm = new VonMises();
            Sample smp = vm.sample(4, rng, ctx);
            assertEquals(4, smp.logQ().size(0));
            assertTrue(Tensors.maxAbs(vm.logProb(smp.value(), ctx).sub(smp.logQ())) < 1e-14);
            assertThrows(IllegalArgumentException.class, () -> vm.sample(3, rng, ctx));
            assertThrows(IllegalArgumentException.class, () -> VonMises.sample(full(0, 2), full(-1, 2), rng));

            HaarDensity haar = new HaarDensity(org.gaugeflow.group.U1.INSTANCE, Lattice.parse("4x4"));
            Sample h = haar.sample(3, rng);
            assertEquals(0.0, Tensors.maxAbs(h.logQ()), 0.0);
            assertEquals(0.0, Tensors.maxAbs(haar.logProb(h.value())), 0.0);
            assertEquals(3, h.value().size(0));
        }
    }
}
