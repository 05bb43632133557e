package org.gaugeflow.flow.sun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.flow.spectral.SUNTestSupport;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.GaugeTransformation;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SUNFineLatticeFlowTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    static SUNFineLatticeFlow flow(SUN g, Lattice lat) {
        try (Rng init = new Rng(31, F64)) {
            return new SUNFineLatticeFlow(g, lat, new SUNFineLatticeFlow.Architecture(1, new int[] {8}, 4, 0.5), F64, init);
        }
    }

    @Test
    void oneIterationIsTwelveLayers() {
        SUNFineLatticeFlow f = flow(new SUN(2), Lattice.parse("4x4"));
        assertEquals(12, f.transform().parts().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void gaugeEquivariantAndInvertible(int n) {
        SUN g = new SUN(n);
        Lattice lat = Lattice.parse("4x4");
        SUNFineLatticeFlow f = flow(g, lat);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, F64); NoGradGuard ng = new NoGradGuard()) {
            GaugeField u = GaugeField.haar(g, lat, 3, rng);
            Tensor omega = GaugeTransformation.random(u, rng);
            Transformed a = f.transform().forward(GaugeTransformation.apply(u, omega).links(), null);
            Transformed b = f.transform().forward(u.links(), null);
            Tensor bT = GaugeTransformation.apply(u.withLinks(b.value()), omega).links();
            assertTrue(Tensors.maxAbs(a.value().sub(bT)) < 1e-10, "not gauge equivariant: " + Tensors.maxAbs(a.value().sub(bT)));
            assertTrue(Tensors.maxAbs(a.logDet().sub(b.logDet())) < 1e-10, "log det not gauge invariant");
            assertTrue(Tensors.maxAbs(b.value().sub(u.links())) > 1e-2, "flow acts as the identity");
            Transformed back = f.transform().inverse(b.value(), null);
            assertTrue(Tensors.maxAbs(back.value().sub(u.links())) < 1e-10, "inverse(forward(U)) != U");
            assertTrue(Tensors.maxAbs(back.logDet().add(b.logDet())) < 1e-10, "log dets do not cancel");
            Sample x = f.sample(3, rng);
            Tensor lp = f.logProb(x.value());
            assertTrue(Tensors.maxAbs(lp.sub(x.logQ())) < 1e-10, "logProb(sample) != log q");
            // log q is gauge invariant
            Tensor lpT = f.logProb(GaugeTransformation.apply(u.withLinks(x.value()), omega).links());
            assertTrue(Tensors.maxAbs(lpT.sub(lp)) < 1e-10, "log q not gauge invariant");
        }
    }

    /** A direction and a location update's log|det| against the autograd Jacobian in the su(N) coordinates of all 8 links of a 2x2 lattice. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void logDetMatchesAutogradJacobianOfTheWholeLattice(int n) {
        SUN g = new SUN(n);
        Lattice lat = Lattice.parse("2x2");
        SUNFineLatticeFlow f = flow(g, lat);
        // one direction update and one location update, composed
        Transform t = new org.gaugeflow.flow.CompositeTransform(java.util.List.of(f.transform().parts().get(0),
                f.transform().parts().get(9)));
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(2, F64)) {
            Tensor links = GaugeField.haar(g, lat, 1, rng).links();
            double auto = autogradLogDet(t, links, g);
            double analytic;
            try (NoGradGuard ng = new NoGradGuard()) {
                analytic = t.forward(links, null).logDet().item_double();
            }
            assertEquals(analytic, auto, 1e-9);
        }
    }

    static double autogradLogDet(Transform t, Tensor links, SUN g) {
        int n = g.n();
        int dim = n * n - 1;
        long[] shape = Tensors.shape(links);
        long nl = links.numel() / (n * n);
        Tensor gens = SUNTestSupport.generators(n);
        Tensor flat = links.reshape(nl, n, n);
        Tensor f0;
        try (NoGradGuard ng = new NoGradGuard()) {
            f0 = t.forward(links, null).value().reshape(nl, n, n);
        }
        int total = (int) (nl * dim);
        double[] jac = new double[total * total];
        for (int row = 0; row < total; row++) {
            Tensor x = torch.zeros(new long[] {nl, dim}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double));
            x.set_requires_grad(true);
            Tensor moved = flat.matmul(SUNTestSupport.expCoordinates(g, x, gens)).reshape(shape);
            Tensor out = t.forward(moved, null).value().reshape(nl, n, n);
            Tensor y = SUNTestSupport.coordinates(Tensors.dagger(f0).matmul(out).unsqueeze(-3).squeeze(-3), gens);
            y.flatten().select(0, row).backward();
            System.arraycopy(Tensors.toArray(x.grad()), 0, jac, row * total, total);
        }
        return torch.linalg_slogdet(Tensors.fromArray(jac, total, total)).get1().item_double();
    }
}
