package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.spectral.SUNTestSupport;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SUNStapleConditionalModelTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    static SUNStapleConditionalModel model(SUN g) {
        try (Rng init = new Rng(21, F64)) {
            return new SUNStapleConditionalModel(g, 2, 3, new int[] {16}, 6, 1.0, F64, init);
        }
    }

    /** Staples [B, sites..., 2, N, N]: products of Haar links, like S_A and S_B of a 2D doubling layer. */
    static Tensor staples(SUN g, Rng rng, long... sites) {
        long[] s = java.util.Arrays.copyOf(sites, sites.length + 1);
        s[sites.length] = 2;
        return g.haar(rng, s);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void logProbOfSamplesEqualsTheirLogQAndInverseIsExact(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, F64); NoGradGuard ng = new NoGradGuard()) {
            SUNStapleConditionalModel m = model(g);
            Tensor ctx = staples(g, rng, 4, 4, 2);
            Sample x = m.sample(4, rng, ctx);
            Tensor lp = m.logProb(x.value(), ctx);
            assertTrue(Tensors.maxAbs(lp.sub(x.logQ())) < 1e-10, "logProb(sample) != log q: " + Tensors.maxAbs(lp.sub(x.logQ())));
            assertTrue(Tensors.maxAbs(x.logQ()) > 1e-2, "model is the Haar density; nothing tested");
            Tensor back = m.apply(x.value(), ctx, true).value();
            Tensor again = m.apply(back, ctx, false).value();
            assertTrue(Tensors.maxAbs(again.sub(x.value())) < 1e-10, "forward(inverse(U)) != U");
        }
    }

    /** U -> Omega1 U Omega2^dag, S -> Omega2 S Omega1^dag: samples' map is covariant, log q invariant. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void gaugeCovariant(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(2, F64); NoGradGuard ng = new NoGradGuard()) {
            SUNStapleConditionalModel m = model(g);
            Tensor ctx = staples(g, rng, 8, 6);
            Tensor u = g.haar(rng, 8, 6);
            Tensor o1 = g.haar(rng, 8, 6);
            Tensor o2 = g.haar(rng, 8, 6);
            Tensor uT = o1.matmul(u).matmul(Tensors.dagger(o2));
            Tensor ctxT = o2.unsqueeze(-3).matmul(ctx).matmul(Tensors.dagger(o1).unsqueeze(-3));
            var a = m.apply(uT, ctxT, false);
            var b = m.apply(u, ctx, false);
            Tensor bT = o1.matmul(b.value()).matmul(Tensors.dagger(o2));
            assertTrue(Tensors.maxAbs(a.value().sub(bT)) < 1e-10, "not covariant: " + Tensors.maxAbs(a.value().sub(bT)));
            assertTrue(Tensors.maxAbs(a.logDet().sub(b.logDet())) < 1e-10, "log det not invariant");
        }
    }

    /** The log-Jacobian of U -> U' (Eqs. (12)-(14), three iterations) against autograd and numerical Jacobians. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void logDetMatchesAutogradJacobian(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, F64)) {
            SUNStapleConditionalModel m = model(g);
            for (int i = 0; i < 3; i++) {
                Tensor ctx = staples(g, rng, 1);
                Tensor u = g.haar(rng, 1).squeeze(0);
                java.util.function.UnaryOperator<Tensor> map = x -> m.apply(x, ctx.expand(x.size(0), 2, n, n), false).value();
                double analytic;
                double numeric;
                try (NoGradGuard ng = new NoGradGuard()) {
                    analytic = m.apply(u.unsqueeze(0), ctx, false).logDet().item_double();
                    numeric = SUNTestSupport.numericalLogDet(map, g, u, 1e-5);
                }
                double auto = SUNTestSupport.autogradLogDet(map, g, u);
                assertEquals(analytic, auto, 1e-9, "autograd");
                assertEquals(analytic, numeric, 1e-6, "numerical");
            }
        }
    }

    /** The identity behind U' = f(U Q) Q^dag: Proj(U M) = U Proj(M) for U in SU(N) (Eq. (13)). */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void projectionCommutesWithLeftMultiplication(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, F64); NoGradGuard ng = new NoGradGuard()) {
            Tensor u = g.haar(rng, 50);
            Tensor mat = staples(g, rng, 50).sum(new long[] {-3}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                    .add(rng.complexNormal(50, n, n).mul(Tensors.scalar(0.3)));
            Tensor diff = g.project(u.matmul(mat))
                    .sub(u.matmul(g.project(mat)));
            assertTrue(Tensors.maxAbs(diff) < 1e-12, "Proj(U M) != U Proj(M): " + Tensors.maxAbs(diff));
        }
    }

    /** E_Haar[q(U | S)] = 1 for fixed staples, within 4 sigma. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void normalizedForFixedStaples(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, F64); NoGradGuard ng = new NoGradGuard()) {
            SUNStapleConditionalModel m = model(g);
            int count = 4000;
            Tensor ctx = staples(g, rng, 1).expand(count, 2, n, n).contiguous();
            Tensor q = m.logProb(g.haar(rng, count), ctx).exp();
            double mean = q.mean().item_double();
            double err = q.std().item_double() / Math.sqrt(count);
            assertTrue(q.std().item_double() > 0.1, "density too flat to test anything");
            assertTrue(Math.abs(mean - 1) < 4 * err, "E_Haar[q] = " + mean + " +- " + err);
        }
    }
}
