package org.gaugeflow.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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


    /**
     * A constant 4D U(1) field with n[mu][nu] flux quanta through the (mu, nu) planes (mu < nu) of the torus L0 x ... x L3:
     * for each plane theta_mu(x) -= 2 pi n x_nu / (L_mu L_nu) and, on the last nu-layer, theta_nu(x) += 2 pi n x_mu / L_mu,
     * which makes every (mu, nu) plaquette angle 2 pi n / (L_mu L_nu) (mod 2 pi) and leaves the other planes' unchanged.
     */
    static GaugeField constantFlux(int[] l, int[][] n) {
        Lattice lat = new Lattice(l);
        int vol = l[0] * l[1] * l[2] * l[3];
        double[] theta = new double[4 * vol]; // [mu][x3][x2][x1][x0]
        int[] x = new int[4];
        for (int site = 0; site < vol; site++) {
            x[0] = site % l[0];
            x[1] = site / l[0] % l[1];
            x[2] = site / (l[0] * l[1]) % l[2];
            x[3] = site / (l[0] * l[1] * l[2]);
            for (int mu = 0; mu < 4; mu++) {
                for (int nu = mu + 1; nu < 4; nu++) {
                    if (n[mu][nu] == 0) continue;
                    theta[mu * vol + site] -= 2 * Math.PI * n[mu][nu] * x[nu] / ((double) l[mu] * l[nu]);
                    if (x[nu] == l[nu] - 1) theta[nu * vol + site] += 2 * Math.PI * n[mu][nu] * x[mu] / l[mu];
                }
            }
        }
        return new GaugeField(U1.INSTANCE, lat, U1.fromAngle(Tensors.fromArray(theta, 1, 4, l[3], l[2], l[1], l[0], 1, 1)));
    }

    static int[][] flux(int n01, int n02, int n03, int n12, int n13, int n23) {
        return new int[][] {{0, n01, n02, n03}, {0, 0, n12, n13}, {0, 0, 0, n23}, {0, 0, 0, 0}};
    }

    /**
     * Normalization and sign of the 4D clover charge: constant fields with quantized fluxes have the integer charge
     * n_01 n_23 - n_02 n_13 + n_03 n_12 (the second Chern number of the torus bundle) exactly, on cubic and
     * non-cubic lattices; flux through one plane alone has Q = 0; the unit field has Q = 0.
     */
    @Test
    void cloverChargeOfConstantFluxesIsTheChernNumber() {
        try (PointerScope s = new PointerScope()) {
            int[] l4 = {4, 4, 4, 4};
            int[] lx = {4, 6, 4, 8};
            assertEquals(0.0, Tensors.item(TopologicalCharge.u1Clover(GaugeField.unit(U1.INSTANCE, new Lattice(l4), 1,
                    FieldOptions.CPU_DOUBLE))), 1e-12);
            assertEquals(1.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(l4, flux(1, 0, 0, 0, 0, 1)))), 1e-12);
            assertEquals(-1.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(l4, flux(0, 1, 0, 0, 1, 0)))), 1e-12);
            assertEquals(1.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(l4, flux(0, 0, 1, 1, 0, 0)))), 1e-12);
            assertEquals(-1.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(l4, flux(-1, 0, 0, 0, 0, 1)))), 1e-12);
            assertEquals(0.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(l4, flux(1, 0, 0, 0, 0, 0)))), 1e-12);
            // 2 * 1 - 1 * 1 + 1 * (-2) = -1, with every plane carrying flux, on a non-cubic lattice
            assertEquals(-1.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(lx, flux(2, 1, 1, -2, 1, 1)))), 1e-12);
            assertEquals(6.0, Tensors.item(TopologicalCharge.u1Clover(constantFlux(lx, flux(2, 0, 0, 0, 0, 3)))), 1e-12);
            // the flux is spread evenly: every (0, 3) plaquette angle is 2 pi / 32
            Tensor p = U1.angle(Loops.plaquette(constantFlux(lx, flux(0, 0, 1, 0, 0, 0)), 0, 3));
            assertEquals(0.0, Tensors.maxAbs(p.sub(Tensors.scalar(2 * Math.PI / 32))), 1e-12);
        }
    }

    /** The clover charge is gauge invariant and odd under a reflection x_0 -> -x_0 (a real number for rough fields). */
    @Test
    void cloverChargeIsGaugeInvariantAndParityOdd() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, FieldOptions.CPU_DOUBLE)) {
            GaugeField u = GaugeField.haar(U1.INSTANCE, new Lattice(4, 4, 4, 4), 8, rng);
            Tensor q = TopologicalCharge.u1Clover(u);
            Tensor q2 = TopologicalCharge.u1Clover(GaugeTransformation.apply(u, GaugeTransformation.random(u, rng)));
            assertEquals(0.0, Tensors.maxAbs(q.sub(q2)), 1e-10);
            assertTrue(Tensors.maxAbs(q.sub(q.round())) > 1e-3, "rough fields have non-integer clover charge");
            // reflection x_0 -> -x_0: U'_0(x) = U_0(-x - 0)^dag, U'_k(x) = U_k(-x) (k != 0): Q' = -Q
            Tensor links = u.links();
            long dim0 = 1 + 4;                                   // tensor dim of x_0 in [B, d, L3, L2, L1, L0, 1, 1]
            Tensor flipped = links.flip(new long[] {dim0});      // x_0 -> L0 - 1 - x_0
            Tensor u0 = Tensors.shift(flipped.select(1, 0), 4, 1).conj(); // U_0(-x - 0hat)^dag on [B, L3, L2, L1, L0, 1, 1]
            Tensor reflected = torch.cat(new org.bytedeco.pytorch.TensorVector(u0.unsqueeze(1),
                    flipped.narrow(1, 1, 3)), 1);
            Tensor qr = TopologicalCharge.u1Clover(new GaugeField(U1.INSTANCE, u.lattice(), reflected));
            assertEquals(0.0, Tensors.maxAbs(qr.add(q)), 1e-10);
            GaugeField su2 = GaugeField.unit(GaugeGroup.parse("su2"), new Lattice(4, 4, 4, 4), 1, FieldOptions.CPU_DOUBLE);
            assertThrows(IllegalArgumentException.class, () -> TopologicalCharge.u1Clover(su2));
            assertThrows(IllegalArgumentException.class, () -> TopologicalCharge.u1Clover(oneInstanton(4, 4, 1)));
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
