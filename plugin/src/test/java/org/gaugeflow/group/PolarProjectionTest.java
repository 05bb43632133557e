package org.gaugeflow.group;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Eq. (13) for the effective loops: unitary, det 1, identity on SU(N), covariant, finite gradients near singular input. */
class PolarProjectionTest {
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void polarProjection(int n) {
        SUN g = new SUN(n);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, FieldOptions.CPU_DOUBLE)) {
            Tensor a = g.haar(rng, 300), b = g.haar(rng, 300);
            Tensor m = a.add(b);                                         // real determinant: the branch-cut case
            Tensor p = g.project(m);
            Tensor eye = g.identity(FieldOptions.CPU_DOUBLE, 300);
            assertTrue(Tensors.maxAbs(p.matmul(Tensors.dagger(p)).sub(eye)) < 1e-12, "not unitary");
            assertTrue(Tensors.maxAbs(torch.linalg_det(p).sub(Tensors.scalar(1))) < 1e-12, "det != 1");
            // the polar factor up to a phase: P^dag M Hermitian positive up to a phase
            Tensor h = Tensors.dagger(p).matmul(m);
            Tensor ph = Tensors.trace(h).sgn().unsqueeze(-1).unsqueeze(-1);
            Tensor hh = h.div(ph);
            assertTrue(Tensors.maxAbs(hh.sub(Tensors.dagger(hh))) < 1e-10, "not the polar factor");
            // identity on SU(N) and covariance
            assertTrue(Tensors.maxAbs(g.project(a).sub(a)) < 1e-12, "moves group elements");
            Tensor o1 = g.haar(rng, 300), o2 = g.haar(rng, 300);
            Tensor lhs = g.project(o1.matmul(m).matmul(Tensors.dagger(o2)));
            Tensor rhs = o1.matmul(p).matmul(Tensors.dagger(o2));
            assertTrue(Tensors.maxAbs(lhs.sub(rhs)) < 1e-10, "not covariant: " + Tensors.maxAbs(lhs.sub(rhs)));
            // agrees with the core's Eq. (13) up to the center element of the moved branch cut
            Tensor core = g.project(m.mul(Tensors.scalar(1.0)));
            Tensor ratio = Tensors.dagger(core).matmul(p);                  // a center element z 1
            Tensor z = Tensors.trace(ratio).div(Tensors.scalar(n));
            assertTrue(Tensors.maxAbs(ratio.sub(z.unsqueeze(-1).unsqueeze(-1).mul(eye))) < 1e-10, "differs beyond the center");
            // finite gradients near singular input
            double[] sv = new double[n];
            java.util.Arrays.fill(sv, 1.0);
            sv[n - 1] = 1e-7;
            Tensor sing = a.matmul(torch.diag_embed(Tensors.fromArray(sv, n).to(a.scalar_type()))).matmul(b);
            Tensor x = sing.detach().clone().set_requires_grad(true);
            Tensors.reTrace(g.project(x).matmul(rng.complexNormal(300, n, n))).sum().backward();
            assertTrue(torch.isfinite(x.grad()).all().item_bool(), "non-finite gradient near singular input");
        }
    }
}
