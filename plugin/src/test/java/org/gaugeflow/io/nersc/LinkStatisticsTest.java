package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The plain-Java header quantities against the LibTorch ones on the same fields. */
class LinkStatisticsTest {

    /** Haar links in directions x and y, unit links in z and t: plaquettes far from both 0 and 1. */
    private static GaugeField mixed(Lattice lattice, long seed) {
        try (Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            SUN su3 = new SUN(3);
            GaugeField haar = GaugeField.haar(su3, lattice, 1, rng);
            Tensor one = su3.identity(FieldOptions.CPU_DOUBLE, GaugeField.siteShape(lattice, 1));
            return GaugeField.fromDirections(su3, lattice, haar.link(0), haar.link(1), one, one);
        }
    }

    @Test
    void plaquetteAndLinkTraceAgreeWithLibTorch() {
        try (PointerScope s = new PointerScope()) {
            Lattice lattice = Lattice.parse("4x3x2x5");
            int[] ext = lattice.extents();
            for (GaugeField f : new GaugeField[] {mixed(lattice, 4), haarField(lattice, 5)}) {
                double[] links = NerscFiles.toIldgArray(f, 0);
                double torchPlaq = WilsonAction.averagePlaquette(f).item_double();
                assertEquals(torchPlaq, LinkStatistics.plaquette(links, ext), 1e-14);
                double torchTrace = Tensors.reTrace(f.links()).mean().item_double() / 3;
                assertEquals(torchTrace, LinkStatistics.linkTrace(links, ext), 1e-14);
            }
            double mixedPlaq = LinkStatistics.plaquette(NerscFiles.toIldgArray(mixed(lattice, 4), 0), ext);
            assertTrue(mixedPlaq > 0.1 && mixedPlaq < 0.5, "zt plane gives 1/6, the rest random: " + mixedPlaq);
        }
    }

    private static GaugeField haarField(Lattice lattice, long seed) {
        try (Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            return GaugeField.haar(new SUN(3), lattice, 1, rng);
        }
    }

    @Test
    void thirdRowIsRebuiltAndDeviationsAreMeasured() {
        double[] links = NerscTestFields.haar(new int[] {2, 2, 2, 2}, 6);
        double[] rebuilt = links.clone();
        for (int off = 0; off < rebuilt.length; off += 18) {
            java.util.Arrays.fill(rebuilt, off + 12, off + 18, Double.NaN);
            ThirdRow.reconstruct(rebuilt, off);
        }
        double err = 0;
        for (int i = 0; i < links.length; i++) {
            err = Math.max(err, Math.abs(rebuilt[i] - links[i]));
        }
        assertTrue(err < 1e-14, "third row error " + err);
        LinkStatistics.Deviation d = LinkStatistics.deviation(links);
        assertTrue(d.maxUnitarity() < 1e-14 && d.maxDet() < 1e-14, d.toString());
        links[5] += 1e-3;
        LinkStatistics.Deviation bad = LinkStatistics.deviation(links);
        assertTrue(bad.maxUnitarity() > 5e-4 && bad.maxDet() > 1e-4, bad.toString());
        LinkStatistics.Deviation unit = LinkStatistics.deviation(NerscTestFields.unit(new int[] {2, 2, 2, 2}));
        assertEquals(new LinkStatistics.Deviation(0, 0), unit);
    }
}
