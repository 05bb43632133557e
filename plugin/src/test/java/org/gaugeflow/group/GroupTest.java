package org.gaugeflow.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GroupTest {

    static double unitarityDeviation(Tensor u) {
        Tensor eye = torch.eye(u.sizes().at(u.dim() - 1), new org.bytedeco.pytorch.TensorOptions(u.scalar_type()));
        return Tensors.maxAbs(u.matmul(Tensors.dagger(u)).sub(eye));
    }

    static double determinantDeviation(Tensor u) {
        return Tensors.maxAbs(torch.linalg_det(u).sub(Tensors.scalar(1.0)));
    }

    /** Haar moments: E[Tr U] = 0, E[|Tr U|^2] = 1, E[|Tr U|^4] = 2 (N >= 2), each within 4 sigma. */
    @ParameterizedTest
    @ValueSource(strings = {"u1", "su2", "su3"})
    void haarSamplesHaveTheHaarMoments(String name) {
        GaugeGroup g = GaugeGroup.parse(name);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(2024, FieldOptions.CPU_DOUBLE)) {
            int n = 40000;
            Tensor u = g.haar(rng, n);
            assertTrue(unitarityDeviation(u) < 1e-12);
            if (g.n() > 1) assertTrue(determinantDeviation(u) < 1e-12);
            Tensor tr = Tensors.trace(u);
            Tensor re = torch.real(tr);
            Tensor im = torch.imag(tr);
            assertWithin4Sigma(re, 0.0, "E[Re Tr U]");
            assertWithin4Sigma(im, 0.0, "E[Im Tr U]");
            Tensor abs2 = re.mul(re).add(im.mul(im));
            assertWithin4Sigma(abs2, 1.0, "E[|Tr U|^2]");
            if (g.n() > 1) assertWithin4Sigma(abs2.mul(abs2), 2.0, "E[|Tr U|^4]");
        }
    }

    static void assertWithin4Sigma(Tensor samples, double exact, String what) {
        double mean = samples.mean().item_double();
        double sd = samples.std().item_double();
        double err = sd / Math.sqrt(samples.numel());
        assertTrue(Math.abs(mean - exact) < 4 * err, what + " = " + mean + " +- " + err + ", exact " + exact);
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1", "su2", "su3"})
    void projectionReturnsGroupElementsAndFixesThem(String name) {
        GaugeGroup g = GaugeGroup.parse(name);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, FieldOptions.CPU_DOUBLE)) {
            Tensor u = g.haar(rng, 500);
            assertTrue(Tensors.maxAbs(g.project(u).sub(u)) < 1e-12, "projection moved a group element");
            assertTrue(Tensors.maxAbs(g.project(u.mul(Tensors.scalar(3.5))).sub(u)) < 1e-12, "projection of c U is not U");
            Tensor m = rng.complexNormal(500, g.n(), g.n());
            Tensor p = g.project(m);
            assertTrue(unitarityDeviation(p) < 1e-12, "projection is not unitary");
            if (g.n() > 1) assertTrue(determinantDeviation(p) < 1e-12, "projection has det != 1");
            // the polar factor: M = P H with H = P^dag M Hermitian positive (up to the det phase)
            if (g.n() > 1) {
                Tensor h = Tensors.dagger(p).matmul(m);
                Tensor hh = h.div(Tensors.trace(h).div(h.abs().sum(new long[] {-2, -1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()))
                        .sgn().unsqueeze(-1).unsqueeze(-1));
                assertTrue(Tensors.maxAbs(hh.sub(Tensors.dagger(hh))) < 1e-10, "P^dag M is not Hermitian up to a phase");
            }
        }
    }

    /** Eq. (13) must be differentiable near singular and near degenerate matrices (no NaN or inf). */
    @ParameterizedTest
    @ValueSource(strings = {"su2", "su3"})
    void projectionGradientIsFiniteNearSingularAndDegenerateInput(String name) {
        GaugeGroup g = GaugeGroup.parse(name);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(9, FieldOptions.CPU_DOUBLE)) {
            int n = g.n();
            Tensor u = g.haar(rng, 8);
            Tensor w = g.haar(rng, 8);
            double[] sv = new double[n];
            java.util.Arrays.fill(sv, 1.0);
            sv[n - 1] = 1e-7; // nearly singular
            Tensor sing = u.matmul(torch.diag_embed(Tensors.fromArray(sv, n).to(u.scalar_type()))).matmul(w);
            Tensor degenerate = torch.eye(n, new org.bytedeco.pytorch.TensorOptions(u.scalar_type()))
                    .add(rng.complexNormal(8, n, n).mul(Tensors.scalar(1e-9)));
            for (Tensor m : new Tensor[] {sing, degenerate, u}) {
                Tensor x = m.detach().clone().set_requires_grad(true);
                Tensor c = rng.complexNormal(8, n, n);
                Tensors.reTrace(g.project(x).matmul(c)).sum().backward();
                Tensor grad = x.grad();
                assertTrue(torch.isfinite(grad).all().item_bool(), "non-finite gradient");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1", "su2", "su3"})
    void exponentialMapOfTheAlgebraIsInTheGroup(String name) {
        GaugeGroup g = GaugeGroup.parse(name);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, FieldOptions.CPU_DOUBLE)) {
            Tensor p = g.randomAlgebra(rng, 200);
            assertTrue(Tensors.maxAbs(p.sub(Tensors.dagger(p))) < 1e-14, "algebra element is not Hermitian");
            Tensor u = g.expI(p);
            assertTrue(unitarityDeviation(u) < 1e-12);
            if (g.n() > 1) {
                assertTrue(Tensors.maxAbs(Tensors.trace(p)) < 1e-12, "algebra element not traceless");
                assertTrue(determinantDeviation(u) < 1e-12);
            }
            Tensor zero = g.expI(p.mul(Tensors.scalar(0.0)));
            assertTrue(Tensors.maxAbs(zero.sub(g.identity(FieldOptions.CPU_DOUBLE, 200))) < 1e-15);
            // exp(i P) exp(-i P) = 1
            Tensor one = u.matmul(g.expI(p.neg()));
            assertTrue(Tensors.maxAbs(one.sub(g.identity(FieldOptions.CPU_DOUBLE, 200))) < 1e-12);
        }
    }

    /** (1/2) sum_a pi_a^2 has mean (dim G)/2 for Gaussian algebra elements. */
    @ParameterizedTest
    @ValueSource(strings = {"u1", "su2", "su3"})
    void gaussianAlgebraElementsHaveUnitVariancePerGenerator(String name) {
        GaugeGroup g = GaugeGroup.parse(name);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(8, FieldOptions.CPU_DOUBLE)) {
            Tensor k = g.algebraNormSquaredHalf(g.randomAlgebra(rng, 40000));
            assertWithin4Sigma(k, g.algebraDimension() / 2.0, "E[K]");
        }
    }

    /** The cofactor inverse used by the polar projection agrees with LAPACK's. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void cofactorInverseDaggerAgreesWithLinalgInv(int n) {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(12, FieldOptions.CPU_DOUBLE)) {
            Tensor m = rng.complexNormal(300, n, n);
            Tensor expected = Tensors.dagger(torch.linalg_inv(m));
            Tensor got = new SUN(n).inverseDagger(m);
            double rel = Tensors.maxAbs(got.sub(expected)) / Tensors.maxAbs(expected);
            assertTrue(rel < 1e-12, "relative deviation " + rel);
        }
    }

    @Test
    void identityIsTheUnitMatrix() {
        try (PointerScope s = new PointerScope()) {
            Tensor e = new SUN(3).identity(FieldOptions.CPU_DOUBLE, 2, 5);
            assertEquals(3.0, Tensors.reTrace(e).mean().item_double(), 1e-15);
            assertEquals(0.0, unitarityDeviation(e), 1e-15);
        }
    }
}
