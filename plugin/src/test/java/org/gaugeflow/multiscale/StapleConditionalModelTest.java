package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StapleConditionalModelTest {
    private static final FieldOptions OPT = FieldOptions.CPU_DOUBLE;

    /** A U(1) flow model with 3 couplings whose parameters are pushed away from the identity (moderately: a density that a 2^18-point grid resolves). */
    static U1StapleConditionalModel perturbedModel(int staples, Rng rng) {
        U1StapleConditionalModel m = new U1StapleConditionalModel(staples, 3, 6, new int[] {8}, 1.7, OPT, rng);
        try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
            TensorVector ps = m.parameters();
            for (long i = 0; i < ps.size(); i++) {
                Tensor p = ps.get(i);
                p.add_(rng.normal(Tensors.shape(p)).mul(Tensors.scalar(0.3)));
            }
        }
        return m;
    }

    /** Random staples [B, sites, n, 1, 1]; with {@code unit} false their moduli vary (abstract staples, Sec. 3.1). */
    static Tensor staples(Rng rng, long b, long sites, int n, boolean unit) {
        Tensor s = U1.INSTANCE.haar(rng, b, sites, n);
        return unit ? s : s.mul(rng.uniform(b, sites, n, 1, 1).mul(Tensors.scalar(2)).add(Tensors.scalar(0.1)));
    }

    /** q(U | S) integrates to 1 over the circle (d theta / 2 pi) for fixed staples: heatbath prior and flow model. */
    @ParameterizedTest(name = "flow layers: {0}")
    @ValueSource(booleans = {false, true})
    void densityIsNormalized(boolean flow) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(31, OPT); NoGradGuard g = new NoGradGuard()) {
            StapleConditionalModel m = flow ? perturbedModel(2, rng) : new U1HeatbathPrior(2, 2.5, OPT);
            // the heatbath density is analytic (the periodic trapezoid rule converges exponentially); the splines' q has
            // kinks at the knots, where the rule converges like h^2 (~1e-9 on 2^18 points here)
            int grid = flow ? 1 << 18 : 1 << 12;
            Tensor theta = torch.arange(Tensors.scalar(grid), OPT.real()).mul(Tensors.scalar(2 * Math.PI / grid))
                    .sub(Tensors.scalar(Math.PI)).reshape(grid, 1);
            Tensor u = U1.fromAngle(theta).unsqueeze(-1).unsqueeze(-1);           // [grid, 1, 1, 1]
            for (int trial = 0; trial < (flow ? 1 : 2); trial++) {
                Tensor ctx = staples(rng, 1, 1, 2, trial % 2 == 0).expand(grid, 1, 2, 1, 1);
                double integral = Tensors.item(torch.exp(m.logProb(u, ctx)).mean());
                assertEquals(1.0, integral, 1e-8, "integral of q(U | S) over U, trial " + trial);
            }
        }
    }

    /** Sampling then evaluating gives the same log q, and every coupling inverts its forward map. */
    @Test
    void flowModelIsInvertibleAndConsistent() {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(32, OPT); NoGradGuard g = new NoGradGuard()) {
            U1StapleConditionalModel m = perturbedModel(3, rng);
            Tensor ctx = staples(rng, 5, 7, 3, false);
            Sample s = m.sample(5, rng, ctx);
            Tensor u = U1.INSTANCE.haar(rng, 5, 7);
            for (U1LoopCoupling c : m.couplings()) {
                Transformed f = c.forward(u, ctx);
                Transformed b = c.inverse(f.value(), ctx);
                assertTrue(Tensors.maxAbs(b.value().sub(u)) < 1e-10, "inverse(forward(U)) != U");
                assertTrue(Tensors.maxAbs(b.logDet().add(f.logDet())) < 1e-10, "log-dets do not cancel");
                assertTrue(Tensors.maxAbs(f.value().sub(u)) > 1e-3, "the perturbed coupling should move U");
            }
            assertTrue(Tensors.maxAbs(m.logProb(s.value(), ctx).sub(s.logQ())) < 1e-10, "sample log q != logProb");
        }
    }

    /**
     * log q(U | S) equals r(f^{-1}(U)) plus log|d f^{-1}/d theta| from an autograd Jacobian over all sites of one
     * configuration (off-diagonal entries included), so the analytic log-Jacobian is checked independently.
     */
    @Test
    void logDensityMatchesAutogradJacobian() {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(33, OPT)) {
            U1StapleConditionalModel m = perturbedModel(2, rng);
            int sites = 4;
            Tensor ctx = staples(rng, 1, sites, 2, true);
            Tensor theta0 = U1.angle(U1.INSTANCE.haar(rng, 1, sites)).detach();
            double[][] jac = new double[sites][];
            double[] z = null;
            for (int j = 0; j < sites; j++) {
                Tensor theta = theta0.clone();
                theta.set_requires_grad(true);
                Tensor u = U1.fromAngle(theta).unsqueeze(-1).unsqueeze(-1);
                for (int i = m.couplings().size() - 1; i >= 0; i--) u = m.couplings().get(i).inverse(u, ctx).value();
                // unwrap relative to the input so the angle map is continuous
                Tensor zAngle = theta.add(torch.remainder(U1.angle(u).sub(theta).add(Tensors.scalar(Math.PI)),
                        Tensors.scalar(2 * Math.PI)).sub(Tensors.scalar(Math.PI)));
                zAngle.select(1, j).sum().backward();
                jac[j] = Tensors.toArray(theta.grad());
                z = Tensors.toArray(zAngle.detach());
            }
            double logDet = Math.log(Math.abs(determinant(jac)));
            Tensor zu = U1.fromAngle(Tensors.fromArray(z, 1, sites)).unsqueeze(-1).unsqueeze(-1);
            double expected;
            double got;
            try (NoGradGuard g = new NoGradGuard()) {
                expected = Tensors.item(m.prior().logProb(zu, ctx)) + logDet;
                got = Tensors.item(m.logProb(U1.fromAngle(theta0).unsqueeze(-1).unsqueeze(-1), ctx));
            }
            assertEquals(expected, got, 1e-10);
            for (int a = 0; a < sites; a++) {
                for (int b = 0; b < sites; b++) if (a != b) assertEquals(0.0, jac[a][b], 1e-14, "links are independent");
            }
        }
    }

    /**
     * The von Mises sampler of the heatbath prior: E[cos z] = I_1/I_0(kappa), and the implicit-reparameterization
     * gradient gives d E[cos z]/d kappa = 1 - A/kappa - A^2 (A = I_1/I_0), both within 4 sigma, from tiny to large
     * kappa.
     */
    @ParameterizedTest(name = "kappa = {0}")
    @ValueSource(doubles = {0.05, 1.0, 4.0, 40.0})
    void vonMisesSamplerAndPathwiseGradient(double kappa) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(34, OPT)) {
            int n = 40_000;
            Tensor k = torch.full(new long[] {n}, Tensors.scalar(kappa), OPT.real());
            k.set_requires_grad(true);
            Tensor z = U1HeatbathPrior.reparameterize(U1HeatbathPrior.vonMises(k.detach(), rng, new long[] {n}), k);
            z.sum().backward();
            double[] zs = Tensors.toArray(z.detach());
            double[] dz = Tensors.toArray(k.grad());
            double i0 = Tensors.item(torch.special_i0e(Tensors.fromArray(new double[] {kappa}, 1)));
            double i1 = Tensors.item(torch.special_i1e(Tensors.fromArray(new double[] {kappa}, 1)));
            double a = i1 / i0;
            double[] cos = new double[n];
            double[] dcos = new double[n];
            for (int i = 0; i < n; i++) {
                cos[i] = Math.cos(zs[i]);
                dcos[i] = -Math.sin(zs[i]) * dz[i];
            }
            assertWithin(a, cos, "E[cos z]");
            assertWithin(1 - a / kappa - a * a, dcos, "dE[cos z]/dkappa");
        }
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

    private static double determinant(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double det = 1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            if (p != c) {
                double[] t = m[p];
                m[p] = m[c];
                m[c] = t;
                det = -det;
            }
            det *= m[c][c];
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) m[r][k] -= f * m[c][k];
            }
        }
        return det;
    }
}
