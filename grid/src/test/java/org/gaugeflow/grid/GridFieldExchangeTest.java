package org.gaugeflow.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.bindings.NativeLattice;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Field exchange with Grid (docs/grid.md, "Field exchange"): our tensors to Grid's LatticeGaugeField and back bit for
 * bit, on a lattice with unequal extents (so a swapped axis or direction would show); Grid's plaquette, action, force
 * and kinetic energy equal ours; Grid's momenta have our normalization.
 */
class GridFieldExchangeTest {

    /** x = 6, y = 4, z = 2, t = 8: all directions tell apart, t split across Grid's SIMD lanes. */
    static final Lattice ODD = new Lattice(6, 4, 2, 8);
    static final Lattice L4 = new Lattice(4, 4, 4, 4);

    @BeforeEach
    void grid() {
        GridTestSupport.assumeGrid();
    }

    @Test
    void roundTripIsBitForBit() {
        try (PointerScope scope = new PointerScope()) {
            for (Lattice lat : new Lattice[] {ODD, L4}) {
                GaugeField f = GridTestSupport.hot(lat, 3);
                Tensor out = torch.zeros_like(f.links());
                new GridLattice(lat).roundTrip(f.links(), 0, out, 0);
                assertTrue(f.links().equal(out), "round trip through Grid changed the field on " + lat);
            }
        }
    }

    /** Any precision crosses: a complex64 field goes in as complex128 and comes back unchanged. */
    @Test
    void float32FieldCrossesUnchanged() {
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = GridTestSupport.hot(ODD, 4).to(FieldOptions.cpu(Precision.FLOAT));
            Tensor out = torch.zeros_like(f.links());
            GridLattice g = new GridLattice(ODD);
            g.roundTrip(f.links(), 0, out, 0);
            assertTrue(f.links().equal(out));
            assertEquals(WilsonAction.averagePlaquette(f.to(FieldOptions.CPU_DOUBLE)).item_double(), g.plaquette(f.links(), 0), 1e-12);
        }
    }

    @Test
    void gridPlaquetteEqualsOursOnAThermalizedField() {
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = GridTestSupport.thermalized(L4, 6.0, 40, 5);
            double ours = WilsonAction.averagePlaquette(f).item_double();
            double grid = new GridLattice(L4).plaquette(f.links(), 0);
            assertTrue(ours > 0.5 && ours < 0.7, "not thermalized at beta 6: plaquette " + ours);
            assertEquals(ours, grid, 1e-12, "Grid's avgPlaquette vs WilsonAction.averagePlaquette");
            GaugeField h = GridTestSupport.hot(ODD, 6);
            assertEquals(WilsonAction.averagePlaquette(h).item_double(), new GridLattice(ODD).plaquette(h.links(), 0), 1e-12);
        }
    }

    /** Action, force and kinetic energy computed by Grid in our convention equal the native engine's. */
    @Test
    void actionForceAndKineticEqualTheNativeEngine() {
        try (PointerScope scope = new PointerScope()) {
            for (Lattice lat : new Lattice[] {ODD, L4}) {
                GaugeField f = lat == L4 ? GridTestSupport.thermalized(L4, 6.0, 20, 7) : GridTestSupport.hot(lat, 7);
                NativeLattice nat = new NativeLattice(3, lat.extents());
                GridLattice g = new GridLattice(lat);
                double sNative = nat.action(f.links(), 0, 6.0);
                assertEquals(sNative, g.action(f.links(), 0, 6.0), 1e-12 * Math.abs(sNative), "action on " + lat);
                Tensor fn = torch.zeros_like(f.links());
                Tensor fg = torch.zeros_like(f.links());
                nat.force(f.links(), 0, 6.0, fn, 0);
                g.force(f.links(), 0, 6.0, fg, 0);
                double scale = fn.abs().max().item_double();
                assertTrue(scale > 0.1, "force too small to compare: " + scale);
                assertTrue(GridTestSupport.maxAbsDiff(fn, fg) < 1e-13 * Math.max(1, scale),
                        "force on " + lat + ": max |F_native - F_grid| = " + GridTestSupport.maxAbsDiff(fn, fg));
                Tensor p = torch.zeros_like(f.links());
                nat.randomMomenta(p, 0, 11, 0);
                double k = nat.kinetic(p, 0);
                assertEquals(k, g.kinetic(p, 0), 1e-12 * k, "kinetic energy on " + lat);
            }
        }
    }

    /**
     * Grid's momenta in our convention: Hermitian, traceless, K = sum Tr P^2 with mean 16 V (8 generators x 4 links per
     * site, 1/2 each) and variance 16 V; reproducible from (seed, stream), different for another stream.
     */
    @Test
    void gridMomentaHaveOurNormalization() {
        try (PointerScope scope = new PointerScope()) {
            Lattice lat = new Lattice(8, 8, 8, 8);
            GridLattice g = new GridLattice(lat);
            Tensor p = torch.zeros_like(GaugeField.unit(new org.gaugeflow.group.SUN(3), lat, 1, FieldOptions.CPU_DOUBLE).links());
            g.randomMomenta(p, 0, 21, 3);
            Tensor dagger = p.transpose(-1, -2).conj();
            assertTrue(GridTestSupport.maxAbsDiff(p, dagger) < 1e-14, "momenta not Hermitian");
            double trace = p.diagonal(0, -2, -1).sum(-1).abs().max().item_double();
            assertTrue(trace < 1e-14, "momenta not traceless: " + trace);
            NativeLattice nat = new NativeLattice(3, lat.extents());
            double k = nat.kinetic(p, 0);
            double v = lat.volume();
            assertEquals(16 * v, k, 4 * Math.sqrt(16 * v), "K of Grid's momenta against our normalization");
            Tensor again = torch.zeros_like(p);
            g.randomMomenta(again, 0, 21, 3);
            assertTrue(p.equal(again), "same (seed, stream), different momenta");
            g.randomMomenta(again, 0, 21, 4);
            assertFalse(p.equal(again), "another stream, same momenta");
        }
    }

    @Test
    void latticesGridCannotRunAreRefusedWithOneLine() {
        assertNull(GridLattice.unsupported(4, 4, 4, 4));
        for (int[] dims : new int[][] {{8, 8}, {4, 4, 4}, {4, 4, 4, 2}, {4, 4, 4, 5}, {4, 1, 4, 4}}) {
            String why = GridLattice.unsupported(dims);
            assertNotNull(why, java.util.Arrays.toString(dims));
            assertEquals(1, why.lines().count(), why);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GridLattice(8, 8));
        assertTrue(e.getMessage().contains("4D"), e.getMessage());
    }
}
