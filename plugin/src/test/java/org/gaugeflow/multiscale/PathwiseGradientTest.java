package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17: the reparameterized (pathwise) gradients of the U(1) staple-conditional models where the two staples of a
 * perpendicular link nearly cancel, |S_A + S_B| = 2 |cos(delta / 2)| -> 0 (relative angle delta -> pi), a set that
 * the training samples reach with a finite density.
 * <ul>
 *   <li>The loop couplings' phase arg(sum_i alpha_i S_i) has derivative 1 / |sum_i alpha_i S_i| in alpha and up to
 *       |alpha| / |sum_i alpha_i S_i| in the staples (unbounded as alpha_1 -> alpha_2): before the couplings were
 *       scaled by the loop strength, single samples spiked the reverse-KL gradient 10-100x (the cause of the
 *       collapse).
 *   <li>The heatbath prior's location -arg w: for unit staples d arg w = (dA + dB) / 2 analytically, but autograd
 *       evaluates it as Im(dw / w), which cancels catastrophically (errors ~ 1e-16 / |w|^2); for abstract staples of
 *       varying modulus the derivative really is O(1 / |w|).
 * </ul>
 * These tests check that the derivative of a sampled link in the staples and in alpha is bounded uniformly in
 * delta -> pi, that the pathwise gradient of the heatbath prior is unbiased, and the von Mises kappa-gradient against
 * finite differences.
 */
class PathwiseGradientTest {
    private static final FieldOptions OPT = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void oneThread() { torch.set_num_threads(1); }

    /** Staples [n, 1, 2, 1, 1] = (e^{i a}, e^{i b}) from per-sample angle tensors a, b [n]. */
    private static Tensor context(Tensor a, Tensor b) {
        return torch.stack(new TensorVector(U1.fromAngle(a), U1.fromAngle(b)), -1).reshape(a.size(0), 1, 2, 1, 1);
    }

    /** Per-sample |d theta / d a| and |d theta / d b| of theta = angle of the sampled link: the larger of the two maxima. */
    private static double maxAngleDerivative(StapleConditionalModel m, double delta, long n, Rng rng) {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = rng.uniform(n).mul(Tensors.scalar(2 * Math.PI)).detach();
            a.set_requires_grad(true);
            Tensor b = a.detach().add(Tensors.scalar(delta));
            b.set_requires_grad(true);
            Tensor theta = U1.angle(m.sample(n, rng, context(a, b)).value()).reshape(n);
            // theta has samples on separate leaves: the gradient of the sum is the per-sample derivative
            TensorVector g = torch.grad(new TensorVector(theta.sum()), new TensorVector(a, b));
            return Math.max(Tensors.maxAbs(g.get(0)), Tensors.maxAbs(g.get(1)));
        }
    }

    /**
     * The heatbath prior's sampled angle has |d theta / d (staple angle)| <= sqrt(5) beta~ (|d theta / d w| <= 2 along
     * the location, <= 1 along kappa), uniformly as the staples cancel; differentiating theta = z - arg w by autograd
     * gave 130 at delta = pi - 1e-9 (cancellation in Im(dw / w)).
     */
    @Test
    void heatbathLocationGradientIsBoundedWhereStaplesCancel() {
        double beta = 2.0;
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(171, OPT)) {
            U1HeatbathPrior prior = new U1HeatbathPrior(2, beta, OPT);
            for (double eps : new double[] {1.0, 1e-2, 1e-4, 1e-6, 1e-9}) {
                double d = maxAngleDerivative(prior, Math.PI - eps, 4096, rng);
                assertTrue(d <= Math.sqrt(5) * beta, "pi - delta = " + eps + ": max |d theta / d staple angle| = " + d
                        + ", expected <= sqrt(5) beta~ = " + Math.sqrt(5) * beta);
            }
        }
    }

    /**
     * The staple-conditional flow (heatbath prior + loop couplings with perturbed, non-identity splines) with
     * alpha_2 = alpha_1 (1 + eta), so that |sum_i alpha_i S_i| >= alpha_1 eta: the derivative of the sampled link in
     * the staples and in alpha stays below 20 as the staples cancel (pi - delta down to 1e-9) and alpha_2 -> alpha_1
     * (eta = 1e-2, 1e-6). Before the loop couplings were scaled by the loop strength it reached ~1 / eta in the staples
     * and ~1 / (pi - delta) in alpha.
     */
    @ParameterizedTest(name = "eta = {0}")
    @ValueSource(doubles = {1e-2, 1e-6})
    void stapleConditionalFlowGradientIsBoundedWhereStaplesCancel(double eta) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(172, OPT)) {
            U1StapleConditionalModel m = StapleConditionalModelTest.perturbedModel(2, rng);
            try (NoGradGuard g = new NoGradGuard()) {
                for (U1LoopCoupling c : m.couplings()) c.alpha().copy_(Tensors.fromArray(new double[] {1.3, 1.3 * (1 + eta)}, 2));
            }
            for (double eps : new double[] {1e-1, 1e-2, 1e-4, 1e-6, 1e-9}) {
                double d = maxAngleDerivative(m, Math.PI - eps, 2048, rng);
                assertTrue(d < 20.0, "pi - delta = " + eps + ": max |d theta / d staple angle| = " + d);
                double da = maxAlphaDerivative(m, Math.PI - eps, 8, rng);
                assertTrue(da < 20.0, "pi - delta = " + eps + ": max |d theta / d alpha| = " + da);
            }
        }
    }

    /** max over samples and couplings of |d theta / d alpha_i| of the sampled link. */
    private static double maxAlphaDerivative(U1StapleConditionalModel m, double delta, long n, Rng rng) {
        double max = 0;
        for (U1LoopCoupling c : m.couplings()) {
            try (PointerScope scope = new PointerScope()) {
                Tensor a = rng.uniform(n).mul(Tensors.scalar(2 * Math.PI));
                Tensor ctx = context(a, a.add(Tensors.scalar(delta)));
                Tensor u = U1.INSTANCE.haar(rng, n, 1);
                for (int i = 0; i < n; i++) {          // per sample: one backward pass each (alpha is shared)
                    Tensor theta = U1.angle(c.forward(u.narrow(0, i, 1), ctx.narrow(0, i, 1)).value()).sum();
                    Tensor g = torch.grad(new TensorVector(theta), new TensorVector(c.alpha())).get(0);
                    max = Math.max(max, Tensors.maxAbs(g));
                }
            }
        }
        return max;
    }

    /**
     * The pathwise gradient of the heatbath prior is unbiased: d E[cos theta] / d a and d E[sin theta] / d a (a the
     * angle of S_A) against the exact E[e^{i theta}] = A(kappa) conj(w) / |w|, A = I_1 / I_0, differentiated by central
     * differences, within 4 sigma: near cancellation (small kappa), generic staples, and aligned staples at large kappa.
     */
    @ParameterizedTest(name = "delta = {0}")
    @ValueSource(doubles = {3.1, 2.0, 0.0})
    void heatbathPathwiseGradientIsUnbiased(double delta) {
        double beta = delta == 0.0 ? 8.0 : 2.0;     // aligned staples at beta~ = 8: kappa = 16
        double a0 = 0.7;
        int n = 40_000;
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(173, OPT)) {
            U1HeatbathPrior prior = new U1HeatbathPrior(2, beta, OPT);
            Tensor a = torch.full(new long[] {n}, Tensors.scalar(a0), OPT.real());
            a.set_requires_grad(true);
            Tensor b = torch.full(new long[] {n}, Tensors.scalar(a0 + delta), OPT.real());
            Tensor theta = U1.angle(prior.sample(n, rng, context(a, b)).value()).reshape(n);
            Tensor dCos = torch.grad(new TensorVector(torch.cos(theta).sum()), new TensorVector(a),
                    new TensorVector(), new org.bytedeco.pytorch.BoolOptional(true), false, false).get(0);
            Tensor dSin = torch.grad(new TensorVector(torch.sin(theta).sum()), new TensorVector(a)).get(0);
            double h = 1e-5;
            double[] plus = meanPhasor(beta, a0 + h, a0 + delta);
            double[] minus = meanPhasor(beta, a0 - h, a0 + delta);
            assertWithin((plus[0] - minus[0]) / (2 * h), Tensors.toArray(dCos), "d E[cos theta] / d a");
            assertWithin((plus[1] - minus[1]) / (2 * h), Tensors.toArray(dSin), "d E[sin theta] / d a");
        }
    }

    /** E[e^{i theta}] = A(|w|) conj(w) / |w| for w = beta~ (e^{i a} + e^{i b}), as (real, imaginary). */
    private static double[] meanPhasor(double beta, double a, double b) {
        double re = beta * (Math.cos(a) + Math.cos(b));
        double im = beta * (Math.sin(a) + Math.sin(b));
        double k = Math.hypot(re, im);
        double ratio;
        try (PointerScope scope = new PointerScope()) {
            Tensor kt = Tensors.fromArray(new double[] {k}, 1);
            ratio = Tensors.item(torch.special_i1e(kt)) / Tensors.item(torch.special_i0e(kt));
        }
        return new double[] {ratio * re / k, -ratio * im / k};
    }

    /**
     * The implicit-reparameterization gradient dz/dkappa of the von Mises sampler equals -(dF/dkappa)(z) / q(z), with
     * the CDF F from the antipode by a fine Simpson rule and dF/dkappa by central differences, for kappa up to 32
     * (2 beta at beta = 16) and z from the mode to the tails (relative error 1e-5).
     */
    @Test
    void vonMisesKappaGradientMatchesFiniteDifferences() {
        try (PointerScope scope = new PointerScope()) {
            for (double kappa : new double[] {0.05, 0.5, 4, 16, 32}) {
                for (double z : new double[] {-3.0, -2.0, -0.7, -0.1, 0.01, 0.3, 1.5, 2.5, 3.1}) {
                    Tensor k = torch.full(new long[] {1}, Tensors.scalar(kappa), OPT.real());
                    k.set_requires_grad(true);
                    Tensor zr = U1HeatbathPrior.reparameterize(torch.full(new long[] {1}, Tensors.scalar(z), OPT.real()), k);
                    double got = Tensors.item(torch.grad(new TensorVector(zr.sum()), new TensorVector(k)).get(0));
                    double dk = 1e-4 * Math.max(1, kappa);
                    double dFdk = (tailCdf(z, kappa + dk) - tailCdf(z, kappa - dk)) / (2 * dk);
                    double q = Math.exp(kappa * (Math.cos(z) - 1)) / normalization(kappa);
                    double expected = -dFdk / q;
                    assertTrue(Math.abs(got - expected) <= 1e-5 * Math.abs(expected) + 1e-9,
                            "kappa " + kappa + ", z " + z + ": dz/dkappa = " + got + ", finite differences " + expected);
                }
            }
        }
    }

    /** int_{a}^{z} q(t) dt with a = -pi (z <= 0) or +pi (z > 0), q(t) = exp(kappa cos t) / (2 pi I_0(kappa)). */
    private static double tailCdf(double z, double kappa) {
        double a = z > 0 ? Math.PI : -Math.PI;
        int m = 20_000;
        double h = (z - a) / m;
        double sum = 0;
        for (int i = 0; i <= m; i++) {
            double w = i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2;
            sum += w * Math.exp(kappa * (Math.cos(a + i * h) - 1));
        }
        return sum * h / 3 / normalization(kappa);
    }

    /** int_{-pi}^{pi} exp(kappa (cos t - 1)) dt (periodic trapezoid rule: exponentially accurate). */
    private static double normalization(double kappa) {
        int m = 4096;
        double sum = 0;
        for (int i = 0; i < m; i++) sum += Math.exp(kappa * (Math.cos(-Math.PI + 2 * Math.PI * i / m) - 1));
        return sum * 2 * Math.PI / m;
    }

    private static void assertWithin(double exact, double[] x, String what) {
        double m = 0;
        for (double v : x) m += v;
        m /= x.length;
        double var = 0;
        for (double v : x) var += (v - m) * (v - m);
        double err = Math.sqrt(var / (x.length - 1) / x.length);
        assertTrue(Math.abs(m - exact) < 4 * err + 1e-12, what + " = " + m + " +- " + err + ", exact " + exact);
    }
}
