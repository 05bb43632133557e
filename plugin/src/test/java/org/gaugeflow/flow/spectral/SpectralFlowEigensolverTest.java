package org.gaugeflow.flow.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The SU(3) spectral flow with the closed-form eigensolver against the same flow with LAPACK: same values and
 * log dets on Haar, degenerate, seam and center inputs, forward and inverse, float64 and float32; SpectralFlowTest's
 * SU(3) tests (inverse, equivariance, log det against numerical and autograd Jacobians, a training run on
 * degenerate inputs) with the closed form forced (the default, AUTO, takes LAPACK for their small batches).
 */
class SpectralFlowEigensolverTest {
    static final SUN SU3 = new SUN(3);

    /** Haar matrices, SpectralFlowTest's special inputs, and matrices near the three center elements. */
    static Tensor inputs(Rng rng) {
        Tensor base = SpectralFlowTest.inputs(SU3, rng, 300);
        java.util.List<Tensor> near = new java.util.ArrayList<>();
        near.add(base);
        for (int z = 0; z < 3; z++) {
            double phase = 2 * Math.PI * z / 3;
            for (double eps : new double[] {1e-3, 1e-7}) {
                Tensor p = SU3.expI(SU3.randomAlgebra(rng, 10).mul(new Scalar(eps)));
                near.add(p.mul(new Scalar(new org.bytedeco.pytorch.DoubleComplex(Math.cos(phase), Math.sin(phase)))));
            }
        }
        return torch.cat(new TensorVector(near.toArray(new Tensor[0])), 0);
    }

    @Test
    void autoIsTheDefault() {
        assertSame(SpectralFlow.AUTO, SpectralFlow.eigensolver());
    }

    @Test
    void spectralFlowTestsPassWithTheClosedForm() {
        SpectralFlow.Eigensolver before = SpectralFlow.eigensolver();
        try {
            SpectralFlow.setEigensolver(SpectralFlow.CLOSED_FORM);
            SpectralFlowTest t = new SpectralFlowTest();
            t.inverseUndoesForwardAndLogDetsCancel(3);
            t.conjugationEquivariant(3);
            t.logDetMatchesNumericalAndAutogradJacobians(3);
            t.stableNearDegenerateEigenvaluesOverATrainingRun(3);
        } finally {
            SpectralFlow.setEigensolver(before);
        }
    }

    @Test
    void closedFormAndLinalgEighGiveTheSameFlow() {
        SpectralFlow.Eigensolver before = SpectralFlow.eigensolver();
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(21, FieldOptions.CPU_DOUBLE); NoGradGuard ng = new NoGradGuard()) {
            for (int rotation = 0; rotation < 3; rotation++) {
                SpectralFlow f = SpectralFlowTest.randomFlow(SU3, 3, rotation);
                Tensor u = inputs(rng);
                long count = u.size(0);
                Tensor ctx = rng.normal(count, 3);
                SpectralFlow.setEigensolver(SpectralFlow.LINALG_EIGH);
                SpectralFlow.Result refF = f.apply(u, ctx, false);
                SpectralFlow.Result refI = f.apply(u, ctx, true);
                SpectralFlow.setEigensolver(SpectralFlow.CLOSED_FORM);
                SpectralFlow.Result cfF = f.apply(u, ctx, false);
                SpectralFlow.Result cfI = f.apply(u, ctx, true);
                // matrices near center elements are alcove vertices: values agree, log dets are direction-dependent there
                long defined = count - 6 * 10 - 1;
                assertTrue(Tensors.maxAbs(cfF.value().sub(refF.value())) < 1e-10,
                        "forward values differ: " + Tensors.maxAbs(cfF.value().sub(refF.value())));
                assertTrue(Tensors.maxAbs(cfI.value().sub(refI.value())) < 1e-10,
                        "inverse values differ: " + Tensors.maxAbs(cfI.value().sub(refI.value())));
                assertTrue(Tensors.maxAbs(cfF.logDet().narrow(0, 0, defined).sub(refF.logDet().narrow(0, 0, defined))) < 1e-10,
                        "forward log dets differ");
                assertTrue(Tensors.maxAbs(cfI.logDet().narrow(0, 0, defined).sub(refI.logDet().narrow(0, 0, defined))) < 1e-10,
                        "inverse log dets differ");
                assertTrue(torch.isfinite(cfF.logDet()).all().item_bool() && torch.isfinite(cfI.logDet()).all().item_bool(),
                        "non-finite log det");
                // inverse of forward with the closed form
                SpectralFlow.Result back = f.apply(cfF.value(), ctx, true);
                assertTrue(Tensors.maxAbs(back.value().sub(u)) < 1e-10, "f^-1(f(U)) != U");
            }
        } finally {
            SpectralFlow.setEigensolver(before);
        }
    }

    @Test
    void float32FlowAgrees() {
        SpectralFlow.Eigensolver before = SpectralFlow.eigensolver();
        FieldOptions f32 = new FieldOptions(org.gaugeflow.tensor.Precision.FLOAT, "cpu");
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(22, f32); NoGradGuard ng = new NoGradGuard()) {
            SpectralFlow f;
            try (Rng init = new Rng(5, f32)) {
                f = new SpectralFlow(SU3, 2, new int[] {16}, 6, 1, 1.0, f32, init);
            }
            Tensor u = SU3.haar(rng, 400);
            Tensor ctx = rng.normal(400, 2);
            SpectralFlow.setEigensolver(SpectralFlow.LINALG_EIGH);
            SpectralFlow.Result ref = f.apply(u, ctx, false);
            SpectralFlow.setEigensolver(SpectralFlow.CLOSED_FORM);
            SpectralFlow.Result cf = f.apply(u, ctx, false);
            assertTrue(Tensors.maxAbs(cf.value().sub(ref.value())) < 1e-4, "float32 values differ: " + Tensors.maxAbs(cf.value().sub(ref.value())));
            assertTrue(Tensors.maxAbs(cf.logDet().sub(ref.logDet())) < 1e-3, "float32 log dets differ: " + Tensors.maxAbs(cf.logDet().sub(ref.logDet())));
        } finally {
            SpectralFlow.setEigensolver(before);
        }
    }

    /** Also with a nearly degenerate pair (gap 1e-7). */
    @Test
    void logDetMatchesAutogradJacobianWithTheClosedForm() {
        SpectralFlow.Eigensolver before = SpectralFlow.eigensolver();
        SpectralFlow.setEigensolver(SpectralFlow.CLOSED_FORM);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(23, FieldOptions.CPU_DOUBLE)) {
            SpectralFlow f = SpectralFlowTest.randomFlow(SU3, 2, 2);
            Tensor us = torch.cat(new TensorVector(SU3.haar(rng, 3),
                    SUNTestSupport.withPhases(SU3.haar(rng, 1).squeeze(0), 0.5, 0.5 + 1e-7, -1 - 1e-7).unsqueeze(0)), 0);
            Tensor ctx = rng.normal(1, 2);
            for (int i = 0; i < 4; i++) {
                Tensor u = us.select(0, i);
                java.util.function.UnaryOperator<Tensor> map = x -> f.apply(x, ctx.expand(x.size(0), 2), false).value();
                double analytic;
                try (NoGradGuard ng = new NoGradGuard()) {
                    analytic = f.apply(u.unsqueeze(0), ctx, false).logDet().item_double();
                }
                assertEquals(analytic, SUNTestSupport.autogradLogDet(map, SU3, u), 1e-9, "autograd Jacobian, matrix " + i);
            }
        } finally {
            SpectralFlow.setEigensolver(before);
        }
    }

    /**
     * The SU(3) candidate from Tr P maximizes |det(a^2 - P)| = prod_k |a^2 - lambda_k| over the four candidates
     * (against P's eigenvalues from linalg_eigvals) and keeps every factor |a^2 - lambda_k| >= 0.11, so H's gaps
     * are at least 0.11 times P's.
     */
    @Test
    void su3CandidateChoiceFromTheTrace() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(24, FieldOptions.CPU_DOUBLE); NoGradGuard ng = new NoGradGuard()) {
            Tensor u = torch.cat(new TensorVector(inputs(rng), SU3.haar(rng, 3000)), 0);
            long b = u.size(0);
            Tensor lam = torch.linalg_eigvals(u);                                            // [b, 3]
            Tensor[] products = new Tensor[4];
            Tensor[] factors = new Tensor[4];
            for (int c = 0; c < 4; c++) {
                Tensor a2 = torch.polar(torch.ones(new long[] {1}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double)),
                        torch.full(new long[] {1}, new Scalar(Math.PI * c / 2), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double)));
                Tensor d = lam.sub(a2).abs();                                                   // |a^2 - lambda_k|
                products[c] = d.prod(-1);
                factors[c] = d.amin(new long[] {-1}, false);
            }
            Tensor prod = torch.stack(new TensorVector(products), 0), minFactor = torch.stack(new TensorVector(factors), 0);
            Tensor best = SpectralFlow.su3BestCandidate(u).unsqueeze(0);
            Tensor chosen = prod.gather(0, best).squeeze(0);
            double miss = Tensors.maxAbs(prod.amax(new long[] {0}, false).sub(chosen));
            assertTrue(miss < 1e-12, "not the largest |det(a^2 - P)|: misses by " + miss);
            double least = minFactor.gather(0, best).min().item_double();
            assertTrue(least > 0.11, "a factor |a^2 - lambda_k| = " + least + " < 0.11");
            assertEquals(b, best.size(1));
            // and the chosen candidate's eigenvectors diagonalize P
            for (SpectralFlow.Eigensolver solver : new SpectralFlow.Eigensolver[] {SpectralFlow.CLOSED_FORM, SpectralFlow.AUTO}) {
                Tensor v = solver.eigenvectors(u);
                Tensor m = Tensors.dagger(v).matmul(u).matmul(v);
                Tensor off = m.sub(m.diagonal(0, -2, -1).diag_embed());
                assertTrue(Tensors.maxAbs(off) < 1e-9, "V^dag P V not diagonal: " + Tensors.maxAbs(off));
                double unitary = Tensors.maxAbs(Tensors.dagger(v).matmul(v).sub(SU3.identity(FieldOptions.CPU_DOUBLE, b)));
                assertTrue(unitary < 1e-13, "V not unitary: " + unitary);
            }
        }
    }
}
