package org.gaugeflow.flow.u1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.GaugeTransformation;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

class U1FlowTest {

    /** One intra-op thread (see ReverseKlTrainerTest: 2 threads on the shared 2-core machine are ~30x slower). */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() { torch.set_num_threads(1); }
    private static final FieldOptions O = FieldOptions.CPU_DOUBLE;
    private static final Lattice L4 = Lattice.parse("4x4");

    private static U1FineLatticeFlow model(int layers, long seed) {
        try (Rng init = new Rng(seed, O)) {
            return new U1FineLatticeFlow(L4, new U1FineLatticeFlow.Architecture(layers, 6, new int[] {8, 8}, 3), O, init);
        }
    }

    @Test
    void inverseOfForwardIsIdentity() {
        U1FineLatticeFlow m = model(8, 1);
        Transform flow = m.flowDensity().flow();
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(2, O)) {
            Tensor u = GaugeField.haar(U1.INSTANCE, L4, 16, rng).links();
            Transformed y = flow.forward(u, null);
            Transformed back = flow.inverse(y.value(), null);
            assertTrue(Tensors.maxAbs(back.value().sub(u)) < 1e-10, "inverse(forward(U)) - U = " + Tensors.maxAbs(back.value().sub(u)));
            assertTrue(Tensors.maxAbs(back.logDet().add(y.logDet())) < 1e-10);
            assertTrue(Tensors.maxAbs(y.logDet()) > 1e-3, "the untrained flow is not the identity");
            // and forward(inverse(V)) = V
            Tensor v = GaugeField.haar(U1.INSTANCE, L4, 16, rng).links();
            assertTrue(Tensors.maxAbs(flow.forward(flow.inverse(v, null).value(), null).value().sub(v)) < 1e-10);
        }
    }

    /** log|det| of each layer and of the stack against the full 32 x 32 autograd Jacobian on 4x4. */
    @Test
    void logJacobianMatchesAutogradJacobian() {
        U1FineLatticeFlow m = model(8, 3);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, O)) {
            for (int sample = 0; sample < 2; sample++) {
                Tensor theta0 = rng.uniform(1, 2, 4, 4).mul(new Scalar(2 * Math.PI)).sub(new Scalar(Math.PI));
                checkJacobian(m.layers().get(sample), theta0, false);
                checkJacobian(new org.gaugeflow.flow.CompositeTransform(m.layers()), theta0, false);
                checkJacobian(new org.gaugeflow.flow.CompositeTransform(m.layers()), theta0, true);
            }
        }
    }

    /**
     * The full Jacobian in one backward pass: the configuration is repeated n times in the batch (samples
     * are independent), and row i of the batch back-propagates the unit vector e_i.
     */
    private static void checkJacobian(Transform t, Tensor theta0, boolean inverse) {
        int n = (int) theta0.numel();
        long[] shape = Tensors.shape(theta0);
        shape[0] = n;
        Tensor theta = theta0.expand(shape).clone().set_requires_grad(true);
        Transformed r = inverse ? t.inverse(theta, null) : t.forward(theta, null);
        Tensor eye = torch.eye(n, O.real()).reshape(shape);
        TensorVector gr = torch.grad(new TensorVector(r.value()), new TensorVector(theta), new TensorVector(eye),
                new BoolOptional(false), false, false);
        Tensor jac = gr.get(0).reshape(new long[] {n, n});
        double logAbsDet = torch.linalg_slogdet(jac).get1().item_double();
        assertEquals(logAbsDet, r.logDet().select(0, 0).item_double(), 1e-10, (inverse ? "inverse" : "forward") + " log|det J|");
        assertTrue(Tensors.maxAbs(r.logDet().sub(r.logDet().select(0, 0))) < 1e-12);
    }

    /**
     * d = 3 and 4: the (mu, nu) planes of every layer fold into the batch. Invertibility to 1e-10, log|det|
     * against the full autograd Jacobian on 4x4x4 (192 links, layers in all three planes of the cycle),
     * gauge equivariance, and every link updated once the masks have cycled through directions and offsets.
     */
    @Test
    void couplingLayersWorkInThreeAndFourDimensions() {
        for (String shape : new String[] {"4x4x4", "4x4x4x4"}) {
            Lattice lat = Lattice.parse(shape);
            int d = lat.dims();
            U1FineLatticeFlow m;
            try (Rng init = new Rng(30 + d, O)) {
                m = new U1FineLatticeFlow(lat, new U1FineLatticeFlow.Architecture(4 * d, 4, new int[] {4}, 3), O, init);
            }
            Transform flow = m.flowDensity().flow();
            try (PointerScope s = new PointerScope(); Rng rng = new Rng(40 + d, O)) {
                try (NoGradGuard g = new NoGradGuard()) {
                    GaugeField u = GaugeField.haar(U1.INSTANCE, lat, 3, rng);
                    Transformed y = flow.forward(u.links(), null);
                    Transformed back = flow.inverse(y.value(), null);
                    assertTrue(Tensors.maxAbs(back.value().sub(u.links())) < 1e-10, shape + " inverse(forward(U)) != U");
                    assertTrue(Tensors.maxAbs(back.logDet().add(y.logDet())) < 1e-10);
                    Tensor omega = GaugeTransformation.random(u, rng);
                    Tensor fgu = flow.forward(GaugeTransformation.apply(u, omega).links(), null).value();
                    Tensor gfu = GaugeTransformation.apply(u.withLinks(y.value()), omega).links();
                    assertTrue(Tensors.maxAbs(fgu.sub(gfu)) < 1e-10, shape + " f(gU) != g f(U)");
                    // every link moves under the full cycle of 4 d layers
                    Tensor moved = y.value().sub(u.links()).abs().amax(new long[] {0}, false);
                    assertTrue(moved.min().item_double() > 1e-8, shape + ": a link is never updated");
                }
                if (d == 3) {
                    Tensor theta0 = rng.uniform(1, 3, 4, 4, 4).mul(new Scalar(2 * Math.PI)).sub(new Scalar(Math.PI));
                    for (int i = 0; i < 3; i++) checkJacobian(m.layers().get(i), theta0, false);
                    checkJacobian(new org.gaugeflow.flow.CompositeTransform(m.layers()), theta0, false);
                    checkJacobian(new org.gaugeflow.flow.CompositeTransform(m.layers()), theta0, true);
                }
            }
        }
    }

    @Test
    void couplingLayersAreGaugeEquivariant() {
        U1FineLatticeFlow m = model(8, 5);
        Transform flow = m.flowDensity().flow();
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(6, O)) {
            GaugeField u = GaugeField.haar(U1.INSTANCE, L4, 8, rng);
            Tensor omega = GaugeTransformation.random(u, rng);
            Transformed fu = flow.forward(u.links(), null);
            Transformed fgu = flow.forward(GaugeTransformation.apply(u, omega).links(), null);
            Tensor gfu = GaugeTransformation.apply(u.withLinks(fu.value()), omega).links();
            assertTrue(Tensors.maxAbs(fgu.value().sub(gfu)) < 1e-10, "f(gU) != g f(U): " + Tensors.maxAbs(fgu.value().sub(gfu)));
            assertTrue(Tensors.maxAbs(fgu.logDet().sub(fu.logDet())) < 1e-10);
            // the density is gauge invariant
            Tensor lq = m.logProb(u.links());
            Tensor lqg = m.logProb(GaugeTransformation.apply(u, omega).links());
            assertTrue(Tensors.maxAbs(lq.sub(lqg)) < 1e-10);
        }
    }

    /** E over Haar samples of q(U) = int q dHaar = 1, within 4 sigma (untrained 4-layer model on 4x4). */
    @Test
    void modelDensityIsNormalized() {
        U1FineLatticeFlow m = model(4, 7);
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(8, O)) {
            int batches = 10;
            int per = 2000;
            double sum = 0;
            double sum2 = 0;
            for (int b = 0; b < batches; b++) {
                try (PointerScope inner = new PointerScope()) {
                    Tensor q = m.logProb(GaugeField.haar(U1.INSTANCE, L4, per, rng).links()).exp();
                    sum += q.sum().item_double();
                    sum2 += q.mul(q).sum().item_double();
                }
            }
            int n = batches * per;
            double mean = sum / n;
            double err = Math.sqrt((sum2 / n - mean * mean) / (n - 1));
            assertTrue(err > 1e-3, "the untrained model should differ from Haar (err " + err + ")");
            assertTrue(Math.abs(mean - 1) < 4 * err, "E_Haar[q] = " + mean + " +- " + err);
            // samples of the model carry log q consistent with logProb
            Sample smp = m.sample(32, rng);
            assertTrue(Tensors.maxAbs(m.logProb(smp.value()).sub(smp.logQ())) < 1e-10);
        }
    }

    /**
     * Both evaluations of the context network on the active rows (full lattice, receptive-field bands)
     * equal the full network's output there,
     * for rows along either lattice direction, every offset, and 1, 2 or 3 layers with kernels 1, 3, 5.
     */
    @Test
    void contextNetOnActiveRowsEqualsTheFullNetwork() {
        int[][] hiddens = {{}, {5}, {5, 6}};
        for (int kernel : new int[] {1, 3, 5}) {
            for (int[] hidden : hiddens) {
                try (Rng rng = new Rng(21, O)) {
                    ContextNet net = new ContextNet(2, hidden, 7, kernel, O, rng);
                    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                        Tensor x = rng.normal(3, 2, 8, 12);
                        Tensor full = net.apply(x);
                        for (ContextNet.Evaluation ev : ContextNet.Evaluation.values()) {
                            net.evaluation(ev);
                            for (int dim = 2; dim <= 3; dim++) {
                                for (int off = 0; off < 4; off++) {
                                    Tensor rows = net.apply(x, dim, off);
                                    Tensor want = full.slice(dim, new org.bytedeco.pytorch.LongOptional(off),
                                            new org.bytedeco.pytorch.LongOptional(full.size(dim)), 4);
                                    assertEquals(java.util.Arrays.toString(want.sizes().vec().get()),
                                            java.util.Arrays.toString(rows.sizes().vec().get()));
                                    assertTrue(Tensors.maxAbs(rows.sub(want)) < 1e-12, ev + " dim " + dim
                                            + " offset " + off + " kernel " + kernel + " hidden " + java.util.Arrays.toString(hidden));
                                }
                            }
                        }
                        net.evaluation(ContextNet.Evaluation.BANDS);
                    }
                }
            }
        }
    }

    /** The band evaluation's gradients (inputs and weights) equal the full-lattice evaluation's. */
    @Test
    void contextNetBandsGradientEqualsFullLattice() {
        try (Rng rng = new Rng(22, O)) {
            ContextNet net = new ContextNet(2, new int[] {4, 5}, 6, 3, O, rng);
            try (PointerScope s = new PointerScope()) {
                Tensor x = rng.normal(2, 2, 8, 8);
                Tensor probe = rng.normal(2, 6, 8, 2);
                Tensor[] grads = new Tensor[2];
                Tensor[] wgrads = new Tensor[2];
                int i = 0;
                for (ContextNet.Evaluation ev : new ContextNet.Evaluation[] {ContextNet.Evaluation.FULL_LATTICE, ContextNet.Evaluation.BANDS}) {
                    net.evaluation(ev);
                    Tensor xi = x.detach().clone().set_requires_grad(true);
                    org.bytedeco.pytorch.TensorVector prms = net.parameters();
                    for (long k = 0; k < prms.size(); k++) if (prms.get(k).grad().defined()) prms.get(k).grad().zero_();
                    net.apply(xi, 3, 2).mul(probe).sum().backward();
                    grads[i] = xi.grad().clone();
                    wgrads[i] = prms.get(2).grad().clone();
                    i++;
                }
                net.evaluation(ContextNet.Evaluation.BANDS);
                assertTrue(Tensors.maxAbs(grads[0].sub(grads[1])) < 1e-12, "input gradient");
                assertTrue(Tensors.maxAbs(wgrads[0].sub(wgrads[1])) < 1e-12, "weight gradient");
            }
        }
    }

    /**
     * Float32 gradients (inputs and every weight) agree with float64 ones for the same weights, in both
     * evaluations. LibTorch's oneDNN kernels on NCHW tensors gave input gradients with relative errors of 0.1-1
     * (and NaN) in float32; ContextNet runs them on NHWC (see ContextNet.conv). Float32 rounding alone stays
     * below 1e-5 here.
     */
    @Test
    void contextNetFloat32GradientsAgreeWithFloat64() {
        FieldOptions f32 = FieldOptions.cpu(org.gaugeflow.tensor.Precision.FLOAT);
        int[][] hiddens = {{2}, {4}, {5, 6}, {32, 32}};
        long[][] lattices = {{4, 4}, {8, 12}, {12, 8}};
        double worst = 0;
        for (int kernel : new int[] {3, 5}) {
            for (int[] hidden : hiddens) {
                for (long[] lat : lattices) {
                    if (kernel / 2 * (hidden.length + 1) > Math.min(lat[0], lat[1])) continue;
                    ContextNet n64;
                    ContextNet n32;
                    try (Rng r64 = new Rng(23, O); Rng r32 = new Rng(23, f32)) {
                        n64 = new ContextNet(2, hidden, 19, kernel, O, r64);
                        n32 = new ContextNet(2, hidden, 19, kernel, f32, r32);
                    }
                    try (PointerScope s = new PointerScope(); Rng rng = new Rng(24, O)) {
                        org.bytedeco.pytorch.TensorVector p64 = n64.parameters();
                        org.bytedeco.pytorch.TensorVector p32 = n32.parameters();
                        try (NoGradGuard g = new NoGradGuard()) {
                            for (long k = 0; k < p64.size(); k++) p32.get(k).copy_(p64.get(k));
                        }
                        Tensor x = rng.normal(3, 2, lat[0], lat[1]);
                        try (NoGradGuard g = new NoGradGuard()) {
                            double fe = relative(n32.apply(x.to(torch.ScalarType.Float)).to(torch.ScalarType.Double), n64.apply(x));
                            assertTrue(fe < 1e-5, "output: relative error " + fe);
                        }
                        for (ContextNet.Evaluation ev : ContextNet.Evaluation.values()) {
                            for (int dim = 2; dim <= 3; dim++) {
                                Tensor probe = rng.normal(3, 19, dim == 2 ? lat[0] / 4 : lat[0], dim == 3 ? lat[1] / 4 : lat[1]);
                                Tensor[] in = new Tensor[2];
                                java.util.List<Tensor[]> w = new java.util.ArrayList<>();
                                ContextNet[] nets = {n64, n32};
                                org.bytedeco.pytorch.TensorVector[] ps = {p64, p32};
                                for (int i = 0; i < 2; i++) {
                                    nets[i].evaluation(ev);
                                    for (long k = 0; k < ps[i].size(); k++) if (ps[i].get(k).grad().defined()) ps[i].get(k).grad().zero_();
                                    Tensor xi = (i == 0 ? x : x.to(torch.ScalarType.Float)).detach().clone().set_requires_grad(true);
                                    nets[i].apply(xi, dim, 1).mul(i == 0 ? probe : probe.to(torch.ScalarType.Float)).sum().backward();
                                    in[i] = xi.grad().to(torch.ScalarType.Double);
                                }
                                String where = ev + " rows along " + dim + " kernel " + kernel + " hidden "
                                        + java.util.Arrays.toString(hidden) + " lattice " + java.util.Arrays.toString(lat);
                                double e = relative(in[1], in[0]);
                                assertTrue(e < 1e-4, "input gradient: relative error " + e + ", " + where);
                                worst = Math.max(worst, e);
                                for (long k = 0; k < p64.size(); k++) {
                                    double ew = relative(p32.get(k).grad().to(torch.ScalarType.Double), p64.get(k).grad());
                                    assertTrue(ew < 1e-4, "parameter " + k + " gradient: relative error " + ew + ", " + where);
                                    worst = Math.max(worst, ew);
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("float32 vs float64 context-net gradients: worst relative error %.2e%n", worst);
    }

    private static double relative(Tensor a, Tensor ref) {
        return Tensors.maxAbs(a.sub(ref)) / Math.max(Tensors.maxAbs(ref), 1e-300);
    }

    @Test
    void masksCycleSoThatEveryLinkIsUpdated() {
        Set<String> updated = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            CouplingMask mk = CouplingMask.cycle(i, 2);
            for (int x0 = 0; x0 < 8; x0++) {
                for (int x1 = 0; x1 < 8; x1++) {
                    int xnu = mk.nu() == 0 ? x0 : x1;
                    if (xnu % 4 == mk.offset()) updated.add(mk.mu() + ":" + x0 + ":" + x1);
                }
            }
        }
        assertEquals(2 * 64, updated.size());
        assertThrows(IllegalArgumentException.class, () -> new CouplingMask(1, 0, 0).check(Lattice.parse("6x8")));
        assertThrows(IllegalArgumentException.class,
                () -> new U1FineLatticeFlow(Lattice.parse("4x4x6"), new U1FineLatticeFlow.Architecture(3, 4, new int[] {4}, 3), O, new Rng(1, O)));
    }
}
