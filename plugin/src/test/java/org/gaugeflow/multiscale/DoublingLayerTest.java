package org.gaugeflow.multiscale;

import static org.gaugeflow.tensor.Tensors.dagger;
import static org.gaugeflow.tensor.Tensors.mul;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Loops;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoublingLayerTest {

    /**
     * The doubling layer adds no information to the coarse links: U_A U_B = U_mu (Eq. (5)), the even nu-links
     * are the coarse ones (Eq. (9)), and the 2x1 fine loop at each coarse site is the coarse plaquette.
     */
    @ParameterizedTest(name = "{0} on {1}, mu = {2}")
    @CsvSource({"u1,2x2,0", "u1,4x2,1", "u1,3x4,0", "su2,2x3,1", "su3,2x2,0", "su3,4x2,1"})
    void keepsTheCoarseInformation(String group, String lattice, int mu) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(11, FieldOptions.CPU_DOUBLE);
                NoGradGuard g = new NoGradGuard()) {
            GaugeGroup grp = GaugeGroup.parse(group);
            Lattice coarse = Lattice.parse(lattice);
            int nu = 1 - mu;
            DoublingLayer layer = new DoublingLayer(grp, coarse, mu, new HaarStapleConditionalModel(grp, 2));
            GaugeField c = GaugeField.haar(grp, coarse, 3, rng);
            GaugeField f = layer.refine(c, rng).field();
            assertArrayEquals(Lattice.parse(lattice).refined(mu, 2).extents(), f.lattice().extents());
            Tensor uA = layer.parity(f.link(mu), 0);
            Tensor uB = layer.parity(f.link(mu), 1);
            assertTrue(Tensors.maxAbs(mul(uA, uB).sub(c.link(mu))) < 1e-12, "U_A U_B != U_mu");
            assertTrue(Tensors.maxAbs(layer.parity(f.link(nu), 0).sub(c.link(nu))) < 1e-12, "even U_nu != coarse U_nu");
            // coarse plaquette P_{mu nu}(x) (or P_{nu mu}) = the fine 2x1 loop from the coarse site x
            Tensor fMu = f.link(mu);
            Tensor fNu = f.link(nu);
            Tensor loop = mul(fMu, f.shift(fMu, mu, 1), f.shift(fNu, mu, 2))
                    .matmul(dagger(mul(fNu, f.shift(f.shift(fMu, nu, 1), mu, 0), f.shift(f.shift(fMu, nu, 1), mu, 1))));
            Tensor coarsePlaq = mu == 0 ? Loops.plaquette(c, 0, 1) : Loops.plaquette(c, 1, 0);
            assertTrue(Tensors.maxAbs(layer.parity(loop, 0).sub(coarsePlaq)) < 1e-12,
                    "fine 2x1 loops do not reproduce the coarse plaquettes");
            // coarsening gives the coarse field back
            GaugeField back = layer.coarsen(f).field();
            assertTrue(Tensors.maxAbs(back.links().sub(c.links())) < 1e-12, "coarsen(refine(c)) != c");
        }
    }

    /** The staple context built by the layer closes the fine plaquettes on either side of U_perp. */
    @Test
    void staplesCloseTheFinePlaquettes() {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(12, FieldOptions.CPU_DOUBLE);
                NoGradGuard g = new NoGradGuard()) {
            for (int mu = 0; mu < 2; mu++) {
                int nu = 1 - mu;
                DoublingLayer layer = new DoublingLayer(U1.INSTANCE, Lattice.parse("2x4"), mu,
                        new HaarStapleConditionalModel(U1.INSTANCE, 2));
                GaugeField f = layer.refine(GaugeField.haar(U1.INSTANCE, Lattice.parse("2x4"), 2, rng), rng).field();
                Tensor ctx = layer.staples(f);
                Tensor uPerp = layer.parity(f.link(nu), 1);
                Tensor plaq = Tensors.reTrace(mu == 0 ? Loops.plaquette(f, 0, 1) : Loops.plaquette(f, 1, 0));
                Tensor viaB = Tensors.reTrace(uPerp.matmul(ctx.select(-3, 1)));
                Tensor viaA = Tensors.reTrace(uPerp.matmul(ctx.select(-3, 0)));
                assertTrue(Tensors.maxAbs(viaB.sub(layer.parity(plaq, 1))) < 1e-12, "S_B");
                assertTrue(Tensors.maxAbs(viaA.sub(layer.parity(plaq, 0))) < 1e-12, "S_A");
            }
        }
    }

    @Test
    void rejectsWhatItCannotDo() {
        assertThrows(IllegalArgumentException.class, () -> new DoublingLayer(U1.INSTANCE, Lattice.parse("2x2x2"), 0,
                new HaarStapleConditionalModel(U1.INSTANCE, 2)));
        assertThrows(IllegalArgumentException.class, () -> new DoublingLayer(U1.INSTANCE, Lattice.parse("2x2"), 0,
                new HaarStapleConditionalModel(U1.INSTANCE, 3)));
        assertThrows(IllegalArgumentException.class, () -> MultiscaleModel.schedule(Lattice.parse("2x2"),
                Lattice.parse("6x8")));
        assertArrayEquals(new int[] {0, 1, 0, 1}, MultiscaleModel.schedule(Lattice.parse("2x2"), Lattice.parse("8x8")));
        assertArrayEquals(new int[] {0, 1, 0}, MultiscaleModel.schedule(Lattice.parse("2x2"), Lattice.parse("8x4")));
    }
}
