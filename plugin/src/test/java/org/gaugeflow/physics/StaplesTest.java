package org.gaugeflow.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StaplesTest {

    /** S = -(beta/N)(1/4) sum_links Re Tr(U_mu(x) A_mu(x)): each plaquette contains four links. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"u1,6x5", "su2,4x4x3", "su3,4x3", "su3,2x2x2x3", "u1,3x3x3x3"})
    void actionFromStaplesEqualsActionFromPlaquettes(String group, String lattice) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(5, FieldOptions.CPU_DOUBLE)) {
            GaugeGroup g = GaugeGroup.parse(group);
            Lattice lat = Lattice.parse(lattice);
            GaugeField u = GaugeField.haar(g, lat, 3, rng);
            double beta = 1.7;
            Tensor fromStaples = null;
            for (int mu = 0; mu < lat.dims(); mu++) {
                Tensor s = Tensors.reTrace(u.link(mu).matmul(Loops.stapleSum(u, mu))).flatten(1, -1).sum(1);
                fromStaples = fromStaples == null ? s : fromStaples.add(s);
            }
            fromStaples = fromStaples.mul(Tensors.scalar(-beta / g.n() / 4.0));
            Tensor fromPlaquettes = new WilsonAction(beta).action(u);
            double diff = Tensors.maxAbs(fromStaples.sub(fromPlaquettes));
            assertTrue(diff < 1e-10, "staple action differs by " + diff);
        }
    }

    /** Re Tr[U_nu(y) S_A(y)] = Re Tr P_munu(y - mu) and Re Tr[U_nu(y) S_B(y)] = Re Tr P_munu(y) (Eqs. (7), (8)). */
    @ParameterizedTest(name = "{0}, plane ({1},{2})")
    @CsvSource({"su3,0,1", "su3,1,0", "u1,0,1", "su2,2,0"})
    void paperStaplesCloseThePlaquettesOnEitherSide(String group, int mu, int nu) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(7, FieldOptions.CPU_DOUBLE)) {
            GaugeGroup g = GaugeGroup.parse(group);
            GaugeField u = GaugeField.haar(g, Lattice.parse("4x3x5"), 2, rng);
            Tensor p = Tensors.reTrace(Loops.plaquette(u, mu, nu));
            Tensor withA = Tensors.reTrace(u.link(nu).matmul(Loops.stapleA(u, nu, mu)));
            Tensor withB = Tensors.reTrace(u.link(nu).matmul(Loops.stapleB(u, nu, mu)));
            assertTrue(Tensors.maxAbs(withA.sub(u.shift(p, mu, -1))) < 1e-12, "S_A does not close P(y - mu)");
            assertTrue(Tensors.maxAbs(withB.sub(p)) < 1e-12, "S_B does not close P(y)");
            // and they are different loops
            assertTrue(Tensors.maxAbs(withA.sub(withB)) > 1e-3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"u1", "su2", "su3"})
    void unitFieldHasPlaquetteOne(String group) {
        try (PointerScope scope = new PointerScope()) {
            GaugeField u = GaugeField.unit(GaugeGroup.parse(group), Lattice.parse("4x6x2"), 2, FieldOptions.CPU_DOUBLE);
            double[] p = Tensors.toArray(WilsonAction.averagePlaquette(u));
            for (double v : p) assertEquals(1.0, v, 1e-14);
        }
    }
}
