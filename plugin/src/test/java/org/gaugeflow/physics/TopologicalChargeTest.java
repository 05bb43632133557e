package org.gaugeflow.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

class TopologicalChargeTest {

    /**
     * One unit of flux on an L0 x L1 torus: theta_1(x, y) = 2 pi x / V and theta_0(L0-1, y) = -2 pi y / L1
     * (zero elsewhere) make every plaquette angle 2 pi / V (mod 2 pi), so Q = 1.
     */
    static GaugeField oneInstanton(int l0, int l1, int charge) {
        Lattice lat = new Lattice(l0, l1);
        double v = (double) l0 * l1;
        double[] theta = new double[2 * l0 * l1]; // [mu][y][x]
        for (int y = 0; y < l1; y++) {
            for (int x = 0; x < l0; x++) {
                theta[l0 * l1 + y * l0 + x] = charge * 2 * Math.PI * x / v;
                if (x == l0 - 1) theta[y * l0 + x] = -charge * 2 * Math.PI * y / l1;
            }
        }
        Tensor t = Tensors.fromArray(theta, 1, 2, l1, l0, 1, 1);
        return new GaugeField(U1.INSTANCE, lat, U1.fromAngle(t));
    }

    @Test
    void unitFieldHasChargeZero() {
        try (PointerScope s = new PointerScope()) {
            GaugeField u = GaugeField.unit(U1.INSTANCE, new Lattice(8, 8), 1, FieldOptions.CPU_DOUBLE);
            assertEquals(0.0, Tensors.item(TopologicalCharge.u1TwoDimensional(u)), 1e-12);
        }
    }

    @Test
    void handBuiltFluxHasChargeOneAndItsConjugateMinusOne() {
        try (PointerScope s = new PointerScope()) {
            assertEquals(1.0, Tensors.item(TopologicalCharge.u1TwoDimensional(oneInstanton(8, 6, 1))), 1e-12);
            assertEquals(-1.0, Tensors.item(TopologicalCharge.u1TwoDimensional(oneInstanton(8, 6, -1))), 1e-12);
            assertEquals(2.0, Tensors.item(TopologicalCharge.u1TwoDimensional(oneInstanton(5, 7, 2))), 1e-12);
            // all plaquettes equal: the flux is spread evenly
            Tensor p = U1.angle(Loops.plaquette(oneInstanton(8, 6, 1), 0, 1));
            assertEquals(0.0, Tensors.maxAbs(p.sub(Tensors.scalar(2 * Math.PI / 48))), 1e-12);
        }
    }

    @Test
    void chargeOfRandomFieldsIsAnIntegerAndGaugeInvariant() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, FieldOptions.CPU_DOUBLE)) {
            GaugeField u = GaugeField.haar(U1.INSTANCE, new Lattice(6, 6), 16, rng);
            Tensor q = TopologicalCharge.u1TwoDimensional(u);
            assertEquals(0.0, Tensors.maxAbs(q.sub(q.round())), 1e-10);
            Tensor q2 = TopologicalCharge.u1TwoDimensional(GaugeTransformation.apply(u, GaugeTransformation.random(u, rng)));
            assertEquals(0.0, Tensors.maxAbs(q.sub(q2)), 1e-10);
        }
    }

    @Test
    void refusesOtherGroupsAndDimensions() {
        try (PointerScope s = new PointerScope()) {
            GaugeField su2 = GaugeField.unit(GaugeGroup.parse("su2"), new Lattice(4, 4), 1, FieldOptions.CPU_DOUBLE);
            assertThrows(IllegalArgumentException.class, () -> TopologicalCharge.u1TwoDimensional(su2));
        }
    }
}
