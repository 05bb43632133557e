package org.gaugeflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.io.ildg.ScidacChecksum;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by other codes, shipped in this module's test resources ({@code fixtures/ildg}), read with the
 * values their README there gives (also listed in docs/reference-values.md).
 */
class IldgFixturesTest {

    private static final String UNITY = "unity-4x4x4x4-tmlqcd.lime";
    private static final String THERMALIZED = "su3-4x4x4x4-b5.7-binary-only.ildg";
    /** fixtures/ildg/README.md: plaquette 0.5682158 when read in ILDG order. */
    private static final double THERMALIZED_PLAQUETTE = 0.5682158;

    @TempDir
    Path dir;

    private static double plaquette(Tensor ildgOrder) {
        GaugeField f = GaugeField.fromIldgOrder(new SUN(3), Lattice.parse("4x4x4x4"), ildgOrder, FieldOptions.CPU_DOUBLE);
        return WilsonAction.averagePlaquette(f).item_double();
    }

    @Test
    void tmLqcdUnitGaugeWithItsChecksum() throws Exception {
        try (PointerScope s = new PointerScope()) {
            IldgConfiguration c = IldgReader.read(Fixtures.ildg(UNITY));
            ScidacChecksum expected = new ScidacChecksum(0x35b49a1b, 0xb49a1b35);
            assertEquals(Optional.of(expected), c.info().storedChecksum());
            assertEquals(expected, c.computed());
            assertEquals("4x4x4x4 su3gauge 64-bit", c.info().layout().toString());
            assertEquals(List.of("xlf-info", "ildg-format", "ildg-binary-data", "scidac-checksum"),
                    c.info().records().stream().map(r -> r.type()).toList());
            assertEquals(1.0, plaquette(c.links()), 1e-15);
        }
    }

    @Test
    void thermalizedBinaryOnlyFileHasTheReadmePlaquette() throws Exception {
        try (PointerScope s = new PointerScope()) {
            IldgConfiguration c = IldgReader.read(Fixtures.ildg(THERMALIZED));
            assertEquals("data size (hypercube)", c.info().layoutSource());
            assertEquals(THERMALIZED_PLAQUETTE, plaquette(c.links()), 5e-8);
        }
    }

    /**
     * A reader that gets the site order wrong (t fastest instead of x) or the matrix order wrong
     * (column-major) gives another plaquette on this thermalized field; ours gives the README's.
     */
    @Test
    void siteOrderingBugsChangeThePlaquette() throws Exception {
        try (PointerScope s = new PointerScope()) {
            Tensor links = IldgReader.read(Fixtures.ildg(THERMALIZED)).links();
            Tensor siteAxesReversed = links.permute(3, 2, 1, 0, 4, 5, 6).contiguous();
            Tensor matricesTransposed = links.transpose(-2, -1).contiguous();
            double wrongSites = plaquette(siteAxesReversed);
            double wrongMatrices = plaquette(matricesTransposed);
            assertTrue(Math.abs(wrongSites - THERMALIZED_PLAQUETTE) > 0.05, "site-reversed reader: " + wrongSites);
            assertTrue(Math.abs(wrongMatrices - THERMALIZED_PLAQUETTE) > 0.05, "transposed-matrix reader: " + wrongMatrices);
        }
    }

    /** Written by us and read back, the thermalized field keeps its plaquette (64-bit exactly, 32-bit to float precision). */
    @Test
    void thermalizedFieldSurvivesOurRoundTrip() throws Exception {
        try (PointerScope s = new PointerScope()) {
            Tensor links = IldgReader.read(Fixtures.ildg(THERMALIZED)).links();
            Provenance prov = new Provenance("test", "wilson", 5.7, "hmc", 100L, null);
            for (Precision p : Precision.values()) {
                Path f = dir.resolve("rt-" + p + ".lime");
                IldgWriter.write(f, links, IldgWriter.Options.of(p, prov));
                IldgConfiguration back = IldgReader.read(f);
                double plaq = plaquette(back.links());
                if (p == Precision.DOUBLE) {
                    assertTrue(back.links().equal(links));
                    assertEquals(plaquette(links), plaq, 0.0);
                } else {
                    assertEquals(THERMALIZED_PLAQUETTE, plaq, 1e-6);
                }
                assertEquals(Optional.of(true), back.checksumOk());
            }
        }
    }
}
