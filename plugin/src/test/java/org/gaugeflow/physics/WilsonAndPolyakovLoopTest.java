package org.gaugeflow.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

class WilsonAndPolyakovLoopTest {

    @Test
    void unitFieldHasAllLoopsOne() {
        try (PointerScope s = new PointerScope()) {
            GaugeField u = GaugeField.unit(new SUN(3), new Lattice(4, 4, 3, 5), 2, FieldOptions.CPU_DOUBLE);
            assertEquals(0.0, Tensors.maxAbs(WilsonLoop.average(u, 2, 3).sub(Tensors.scalar(1))), 1e-14);
            assertEquals(0.0, Tensors.maxAbs(PolyakovLoop.average(u).sub(Tensors.scalar(1))), 1e-14);
        }
    }

    @Test
    void uniformFluxGivesCosineOfEnclosedFlux() {
        // Q = 1 spread evenly: every plaquette angle is 2 pi / V, so a contractible R x T loop has angle 2 pi R T / V
        try (PointerScope s = new PointerScope()) {
            GaugeField f = TopologicalChargeTest.oneInstanton(8, 6, 1);
            for (int[] rt : new int[][] {{1, 1}, {1, 2}, {2, 2}, {3, 2}, {5, 4}}) {
                double want = Math.cos(2 * Math.PI * rt[0] * rt[1] / 48.0);
                assertEquals(want, Tensors.item(WilsonLoop.average(f, rt[0], rt[1])), 1e-12, rt[0] + "x" + rt[1]);
            }
            assertEquals(Tensors.item(WilsonAction.averagePlaquette(f)), Tensors.item(WilsonLoop.average(f, 1, 1)), 1e-14);
        }
    }

    @Test
    void constructedFieldHasKnownPolyakovLoop() {
        // U_1(x, t = 0) = exp(i alpha x), every other link 1: P(x) = exp(i alpha x)
        int l0 = 6;
        int l1 = 4;
        double alpha = 0.7;
        try (PointerScope s = new PointerScope()) {
            double[] theta = new double[2 * l0 * l1];
            for (int x = 0; x < l0; x++) theta[l0 * l1 + x] = alpha * x; // mu = 1, t = 0
            GaugeField f = new GaugeField(U1.INSTANCE, new Lattice(l0, l1),
                    U1.fromAngle(Tensors.fromArray(theta, 1, 2, l1, l0, 1, 1)));
            double re = 0;
            double im = 0;
            for (int x = 0; x < l0; x++) {
                re += Math.cos(alpha * x) / l0;
                im += Math.sin(alpha * x) / l0;
            }
            Tensor p = PolyakovLoop.average(f);
            assertEquals(re, Tensors.item(torch.real(p)), 1e-14);
            assertEquals(im, Tensors.item(torch.imag(p)), 1e-14);
        }
    }

    @Test
    void loopsAreGaugeInvariant() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(11, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(new SUN(2), new Lattice(4, 3, 5), 2, rng);
            GaugeField g = GaugeTransformation.apply(f, GaugeTransformation.random(f, rng));
            assertEquals(0.0, Tensors.maxAbs(WilsonLoop.average(f, 2, 3).sub(WilsonLoop.average(g, 2, 3))), 1e-12);
            assertEquals(0.0, Tensors.maxAbs(PolyakovLoop.average(f).sub(PolyakovLoop.average(g))), 1e-12);
        }
    }
}
