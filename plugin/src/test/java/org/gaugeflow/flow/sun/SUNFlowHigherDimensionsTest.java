package org.gaugeflow.flow.sun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.CompositeTransform;
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
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SU(N) fine-lattice flow in d = 3 and 4 (docs/su3.md, "Fine-lattice SU(N) flow"). */
class SUNFlowHigherDimensionsTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void threads() { TorchRuntime.configure(); }

    static SUNFineLatticeFlow flow(SUN g, Lattice lat, double initScale) {
        try (Rng init = new Rng(31, F64)) {
            return new SUNFineLatticeFlow(g, lat, new SUNFineLatticeFlow.Architecture(1, new int[] {8}, 4, initScale), F64, init);
        }
    }

    static List<SUNCouplingLayer> layers(SUNFineLatticeFlow f) {
        return f.transform().parts().stream().map(t -> (SUNCouplingLayer) t).toList();
    }

    /** 4 d (d - 1) direction + d 2^min(2, d-1) location updates: 8 + 4 (2D), 24 + 12 (3D), 48 + 16 (4D, the paper's 64). */
    @ParameterizedTest
    @CsvSource({"2x2, 8, 4", "2x2x2, 24, 12", "2x2x2x2, 48, 16"})
    void layerCountsPerIteration(String lattice, int direction, int location) {
        Lattice lat = Lattice.parse(lattice);
        List<SUNCouplingLayer> ls = layers(flow(new SUN(2), lat, 0.5));
        long plaquette = ls.stream().filter(l -> l.kind() == SUNCouplingLayer.Kind.PLAQUETTE).count();
        long staples = ls.stream().filter(l -> l.kind() == SUNCouplingLayer.Kind.STAPLES).count();
        assertEquals(direction, plaquette);
        assertEquals(location, staples);
        assertEquals(direction, SUNFineLatticeFlow.directionLayers(lat.dims()));
        assertEquals(location, SUNFineLatticeFlow.locationLayers(lat.dims()));
        assertEquals(direction + location, SUNFineLatticeFlow.layersPerIteration(lat.dims()));
    }

    /**
     * Mask coverage and frozenness, layer by layer, on 4^3 and 4^4: the direction updates update every link
     * U_mu(x) exactly d - 1 times (once per plane (mu, nu)), the location updates exactly once; and for every
     * layer, replacing all of its active links by other SU(N) matrices changes neither Q (the frozen part of the
     * active loops) nor the context features, bit for bit.
     */
    @ParameterizedTest
    @CsvSource({"4x4x4", "4x4x4x4"})
    void everyLinkIsUpdatedAndEveryContextIsFrozen(String lattice) {
        Lattice lat = Lattice.parse(lattice);
        int d = lat.dims();
        SUN g = new SUN(2);
        SUNFineLatticeFlow f = flow(g, lat, 0.5);
        int vol = (int) lat.volume();
        int[][] direction = new int[d][vol];
        int[][] location = new int[d][vol];
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, F64); NoGradGuard ng = new NoGradGuard()) {
            GaugeField u = GaugeField.haar(g, lat, 1, rng);
            GaugeField other = GaugeField.haar(g, lat, 1, rng);
            for (SUNCouplingLayer l : layers(f)) {
                int[][] count = l.kind() == SUNCouplingLayer.Kind.PLAQUETTE ? direction : location;
                double[] mask = new double[d * vol];
                for (int mu = 0; mu < d; mu++) {
                    for (int r = 0; r < vol; r++) {
                        if (l.updates(mu, r)) {
                            count[mu][r]++;
                            mask[mu * vol + r] = 1;
                        }
                    }
                }
                long[] shape = GaugeField.linkShape(lat, 1);
                Tensor m = Tensors.fromArray(mask, shape).unsqueeze(-1).unsqueeze(-1).to(u.links().scalar_type());
                // the active links replaced, every other link kept
                Tensor mixed = u.links().mul(m.neg().add(Tensors.scalar(1))).add(other.links().mul(m));
                String what = l.kind() + " mu=" + l.direction() + " nu=" + l.partner() + " parities "
                        + java.util.Arrays.toString(l.parities());
                assertTrue(l.contextFeatures() > 0, what);
                Tensor c0 = l.contextOf(u.links());
                assertEquals(0.0, Tensors.maxAbs(c0.sub(l.contextOf(mixed))), what + ": context depends on an active link");
                assertEquals(0.0, Tensors.maxAbs(l.frozenPartOf(u.links()).sub(l.frozenPartOf(mixed))),
                        what + ": Q depends on an active link");
                assertTrue(Tensors.maxAbs(c0) > 0.05, what + ": no context");
                assertTrue(Tensors.maxAbs(l.forward(mixed).value().sub(mixed)) > 1e-3, what + ": the layer does nothing");
            }
        }
        for (int mu = 0; mu < d; mu++) {
            for (int r = 0; r < vol; r++) {
                assertEquals(d - 1, direction[mu][r], "direction updates of U_" + mu + " at site " + r);
                assertEquals(1, location[mu][r], "location updates of U_" + mu + " at site " + r);
            }
        }
    }

    /**
     * Invertibility (1e-10), gauge equivariance f(Omega U) = Omega f(U) and invariance of log det (1e-10),
     * logProb(sample) = log q and gauge invariance of log q, in 3D (4^3) and 4D (2x2x2x4) for SU(2) and SU(3).
     */
    @ParameterizedTest
    @CsvSource({"2, 4x4x4", "3, 4x4x4", "2, 2x2x2x4", "3, 2x2x2x4"})
    void invertibleAndGaugeEquivariant(int n, String lattice) {
        SUN g = new SUN(n);
        Lattice lat = Lattice.parse(lattice);
        SUNFineLatticeFlow f = flow(g, lat, 0.5);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, F64); NoGradGuard ng = new NoGradGuard()) {
            GaugeField u = GaugeField.haar(g, lat, 2, rng);
            Tensor omega = GaugeTransformation.random(u, rng);
            Transformed a = f.transform().forward(GaugeTransformation.apply(u, omega).links(), null);
            Transformed b = f.transform().forward(u.links(), null);
            Tensor bT = GaugeTransformation.apply(u.withLinks(b.value()), omega).links();
            assertTrue(Tensors.maxAbs(a.value().sub(bT)) < 1e-10, "not gauge equivariant: " + Tensors.maxAbs(a.value().sub(bT)));
            assertTrue(Tensors.maxAbs(a.logDet().sub(b.logDet())) < 1e-10, "log det not gauge invariant");
            assertTrue(Tensors.maxAbs(b.value().sub(u.links())) > 1e-2, "flow acts as the identity");
            assertTrue(Tensors.maxAbs(b.logDet()) > 1e-2, "log det = 0: the flow is Haar preserving, nothing tested");
            Transformed back = f.transform().inverse(b.value(), null);
            double err = Tensors.maxAbs(back.value().sub(u.links()));
            assertTrue(err < 1e-10, "inverse(forward(U)) != U: " + err);
            assertTrue(Tensors.maxAbs(back.logDet().add(b.logDet())) < 1e-10, "log dets do not cancel");
            Sample x = f.sample(2, rng);
            Tensor lp = f.logProb(x.value());
            assertTrue(Tensors.maxAbs(lp.sub(x.logQ())) < 1e-10, "logProb(sample) != log q");
            Tensor lpT = f.logProb(GaugeTransformation.apply(u.withLinks(x.value()), omega).links());
            assertTrue(Tensors.maxAbs(lpT.sub(lp)) < 1e-10, "log q not gauge invariant");
        }
    }

    /**
     * log|det| of one whole iteration (36 layers in 3D, 64 in 4D) against the autograd Jacobian in the su(N)
     * coordinates of every link: 2^3 SU(2) (72 coordinates), 2^3 SU(3) (192), 2^4 SU(2) (192).
     */
    @ParameterizedTest
    @CsvSource({"2, 2x2x2", "3, 2x2x2", "2, 2x2x2x2"})
    void logDetOfAnIterationMatchesTheAutogradJacobian(int n, String lattice) {
        SUN g = new SUN(n);
        Lattice lat = Lattice.parse(lattice);
        SUNFineLatticeFlow f = flow(g, lat, 0.5);
        checkAgainstAutograd(f.transform(), g, lat, 2);
    }

    /**
     * 4D SU(3) on 2^4 (512 coordinates): log|det| of each kind of layer, and of a direction and a location update
     * composed, against the autograd Jacobian of all links.
     */
    @Test
    void logDetOfFourDimensionalSU3LayersMatchesTheAutogradJacobian() {
        SUN g = new SUN(3);
        Lattice lat = Lattice.parse("2x2x2x2");
        SUNFineLatticeFlow f = flow(g, lat, 0.5);
        List<Transform> parts = f.transform().parts();
        // a direction update in the plane (3, 1) with (a, b) = (1, 0), a location update of direction 2 with (a, b) = (0, 1)
        Transform direction = parts.get(4 * (3 * 3 + 1) + 1);
        Transform location = parts.get(48 + 4 * 2 + 1);
        checkAgainstAutograd(new CompositeTransform(List.of(direction, location)), g, lat, 5);
    }

    static void checkAgainstAutograd(Transform t, SUN g, Lattice lat, long seed) {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(seed, F64)) {
            Tensor links = GaugeField.haar(g, lat, 1, rng).links();
            double analytic;
            try (NoGradGuard ng = new NoGradGuard()) {
                analytic = t.forward(links, null).logDet().item_double();
            }
            long t0 = System.nanoTime();
            double auto = autogradLogDet(t, links, g, 64);
            System.out.printf("autograd log det %s SU(%d): %.12f vs %.12f (%.1f s)%n", lat, g.n(), auto, analytic,
                    (System.nanoTime() - t0) * 1e-9);
            assertTrue(Math.abs(analytic) > 0.1, "log det " + analytic + ": too close to Haar to test");
            assertEquals(analytic, auto, 1e-9);
        }
    }

    /**
     * log|det| of links -> t(links) (batch of one) in the su(N) coordinates x of all links, U -> U e^{i x_a T_a},
     * by autograd: the configuration is repeated {@code rows} times in the batch and copy k gives row k of the
     * Jacobian from one backward pass (copies are independent).
     */
    static double autogradLogDet(Transform t, Tensor links, SUN g, int rows) {
        int n = g.n();
        int dim = n * n - 1;
        long[] shape = Tensors.shape(links);
        int nl = (int) (links.numel() / (n * n));
        int total = nl * dim;
        Tensor gens = SUNTestSupport.generators(n);
        Tensor flat = links.reshape(1, nl, n, n);
        Tensor f0;
        try (NoGradGuard ng = new NoGradGuard()) {
            f0 = t.forward(links, null).value().reshape(1, nl, n, n);
        }
        double[] jac = new double[total * total];
        for (int start = 0; start < total; start += rows) {
            try (PointerScope scope = new PointerScope()) {
                int r = Math.min(rows, total - start);
                Tensor x = torch.zeros(new long[] {r, nl, dim}, new TensorOptions(torch.ScalarType.Double));
                x.set_requires_grad(true);
                long[] batched = shape.clone();
                batched[0] = r;
                Tensor moved = flat.matmul(SUNTestSupport.expCoordinates(g, x, gens)).reshape(batched);
                Tensor out = t.forward(moved, null).value().reshape(r, nl, n, n);
                Tensor y = SUNTestSupport.coordinates(Tensors.dagger(f0).matmul(out), gens).reshape(r, total);
                long[] idx = new long[r];
                for (int k = 0; k < r; k++) idx[k] = start + k;
                Tensor sel = y.gather(1, torch.tensor(idx).unsqueeze(1));
                sel.sum().backward();
                System.arraycopy(Tensors.toArray(x.grad().reshape(r, total)), 0, jac, start * total, r * total);
            }
        }
        return torch.linalg_slogdet(Tensors.fromArray(jac, total, total)).get1().item_double();
    }
}
