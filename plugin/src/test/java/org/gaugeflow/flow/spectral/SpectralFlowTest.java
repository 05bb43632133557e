package org.gaugeflow.flow.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpectralFlowTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    /** A flow with random (non-identity) networks and F context features. */
    static SpectralFlow randomFlow(SUN g, int features, int rotation) {
        try (Rng init = new Rng(11 + rotation, F64)) {
            return new SpectralFlow(g, features, new int[] {16}, 6, rotation, 1.0, F64, init);
        }
    }

    /**
     * Haar matrices followed by four special ones: a nearly degenerate pair (gap 1e-9), an exactly
     * degenerate pair, a pair nearly equal across the seam theta = +-pi, and the identity (for SU(3) a
     * triply degenerate vertex of the alcove, where the density of any face-preserving eigenvalue map
     * depends on the direction of approach, so its log det is excluded from log-det comparisons).
     */
    static Tensor inputs(SUN g, Rng rng, int count) {
        Tensor u = g.haar(rng, count);
        Tensor w = g.haar(rng, 4);
        double[][] phases = g.n() == 2
                ? new double[][] {{5e-10, -5e-10}, {0, 0}, {Math.PI - 1e-9, -Math.PI + 1e-9}, {0, 0}}
                : new double[][] {{0.5, 0.5 + 1e-9, -1 - 1e-9}, {0.7, 0.7, -1.4},
                        {Math.PI - 1e-9, 0, -Math.PI + 1e-9}, {0, 0, 0}};
        Tensor special = SUNTestSupport.stack(SUNTestSupport.withPhases(w.select(0, 0), phases[0]),
                SUNTestSupport.withPhases(w.select(0, 1), phases[1]), SUNTestSupport.withPhases(w.select(0, 2), phases[2]),
                SUNTestSupport.withPhases(w.select(0, 3), phases[3]));
        return torch.cat(new org.bytedeco.pytorch.TensorVector(u, special), 0);
    }

    /** The log dets that are well defined: all but the last (the identity) for N >= 3. */
    static Tensor definedLogDets(SUN g, Tensor logDet) {
        return g.n() == 2 ? logDet : logDet.narrow(0, 0, logDet.size(0) - 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void inverseUndoesForwardAndLogDetsCancel(int n) {
        SUN g = new SUN(n);
        for (int rotation = 0; rotation < n; rotation++) {
            try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, F64); NoGradGuard ng = new NoGradGuard()) {
                SpectralFlow f = randomFlow(g, 3, rotation);
                Tensor u = inputs(g, rng, 200);
                Tensor ctx = rng.normal(u.size(0), 3);
                SpectralFlow.Result y = f.apply(u, ctx, false);
                SpectralFlow.Result x = f.apply(y.value(), ctx, true);
                assertTrue(Tensors.maxAbs(x.value().sub(u)) < 1e-10, "f^-1(f(U)) != U: " + Tensors.maxAbs(x.value().sub(u)));
                assertTrue(Tensors.maxAbs(definedLogDets(g, y.logDet().add(x.logDet()))) < 1e-10, "log dets do not cancel: " + java.util.Arrays.toString(Tensors.toArray(y.logDet().add(x.logDet()).narrow(0, u.size(0) - 5, 5))));
                assertTrue(torch.isfinite(y.logDet()).all().item_bool(), "non-finite log det");
                assertTrue(Tensors.maxAbs(torch.linalg_det(y.value()).sub(Tensors.scalar(1))) < 1e-12, "det != 1");
                Tensor eye = g.identity(F64, u.size(0));
                assertTrue(Tensors.maxAbs(y.value().matmul(Tensors.dagger(y.value())).sub(eye)) < 1e-12, "not unitary");
                // the map is not the identity
                assertTrue(Tensors.maxAbs(y.value().sub(u)) > 1e-2, "random flow acts as the identity");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void conjugationEquivariant(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, F64); NoGradGuard ng = new NoGradGuard()) {
            SpectralFlow f = randomFlow(g, 2, 1);
            Tensor u = inputs(g, rng, 100);
            Tensor ctx = rng.normal(u.size(0), 2);
            Tensor w = g.haar(rng, u.size(0));
            SpectralFlow.Result a = f.apply(w.matmul(u).matmul(Tensors.dagger(w)), ctx, false);
            SpectralFlow.Result b = f.apply(u, ctx, false);
            Tensor rotated = w.matmul(b.value()).matmul(Tensors.dagger(w));
            assertTrue(Tensors.maxAbs(a.value().sub(rotated)) < 1e-10, "f(W U W^dag) != W f(U) W^dag: "
                    + Tensors.maxAbs(a.value().sub(rotated)));
            assertTrue(Tensors.maxAbs(definedLogDets(g, a.logDet().sub(b.logDet()))) < 1e-10, "log det not invariant" + java.util.Arrays.toString(Tensors.toArray(a.logDet().sub(b.logDet()).narrow(0, u.size(0) - 5, 5))));
        }
    }

    /** log|det J| against numerical (central differences) and autograd Jacobians in the N^2 - 1 su(N) coordinates. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void logDetMatchesNumericalAndAutogradJacobians(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(7, F64)) {
            for (int rotation = 0; rotation < n; rotation++) {
                SpectralFlow f = randomFlow(g, 2, rotation);
                Tensor us = g.haar(rng, 4);
                Tensor ctx = rng.normal(1, 2);
                for (int i = 0; i < 4; i++) {
                    Tensor u = us.select(0, i);
                    java.util.function.UnaryOperator<Tensor> map = x -> f.apply(x, ctx.expand(x.size(0), 2), false).value();
                    double analytic;
                    try (NoGradGuard ng = new NoGradGuard()) {
                        analytic = f.apply(u.unsqueeze(0), ctx, false).logDet().item_double();
                    }
                    double numeric;
                    try (NoGradGuard ng = new NoGradGuard()) {
                        numeric = SUNTestSupport.numericalLogDet(map, g, u, 1e-5);
                    }
                    double auto = SUNTestSupport.autogradLogDet(map, g, u);
                    assertEquals(analytic, numeric, 1e-7, "numerical Jacobian, rotation " + rotation);
                    assertEquals(analytic, auto, 1e-10, "autograd Jacobian, rotation " + rotation);
                }
            }
        }
    }

    /** E_Haar[q(U)] = 1 for q the density of f(Haar): q(U) = exp(log|det J_{f^-1}(U)|), within 4 sigma. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void pushedForwardDensityIsNormalized(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(13, F64); NoGradGuard ng = new NoGradGuard()) {
            SpectralFlow f = randomFlow(g, 0, 0);
            Tensor u = g.haar(rng, 40_000);
            Tensor q = f.apply(u, null, true).logDet().exp();
            double mean = q.mean().item_double();
            double err = q.std().item_double() / Math.sqrt(q.numel());
            assertTrue(q.std().item_double() > 0.1, "density too flat to test anything");
            assertTrue(Math.abs(mean - 1) < 4 * err, "E_Haar[q] = " + mean + " +- " + err);
        }
    }

    /** No NaN or inf in values, log dets or gradients over a long training run fed degenerate matrices. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void stableNearDegenerateEigenvaluesOverATrainingRun(int n) {
        SUN g = new SUN(n);
        try (Rng rng = new Rng(17, F64)) {
            SpectralFlow f = randomFlow(g, 1, 0);
            Adam opt = new Adam(f.parameters(), new AdamOptions(1e-2));
            for (int step = 0; step < 200; step++) {
                try (PointerScope s = new PointerScope()) {
                    Tensor u = inputs(g, rng, 64).set_requires_grad(true);
                    Tensor ctx = rng.normal(u.size(0), 1);
                    SpectralFlow.Result r = f.apply(u, ctx, false);
                    // a reverse-KL-like loss towards exp(2 Re Tr U'): pulls eigenvalues together
                    Tensor loss = r.logDet().neg().sub(Tensors.reTrace(r.value()).mul(Tensors.scalar(2))).mean();
                    opt.zero_grad();
                    loss.backward();
                    assertTrue(torch.isfinite(r.value()).all().item_bool(), "non-finite value at step " + step);
                    assertTrue(torch.isfinite(r.logDet()).all().item_bool(), "non-finite log det at step " + step);
                    assertTrue(torch.isfinite(u.grad()).all().item_bool(), "non-finite input gradient at step " + step);
                    for (Tensor p : f.parameters().get()) {
                        assertTrue(torch.isfinite(p.grad()).all().item_bool(), "non-finite parameter gradient at step " + step);
                    }
                    opt.step();
                }
            }
        }
    }
}
