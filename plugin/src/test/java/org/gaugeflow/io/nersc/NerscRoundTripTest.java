package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Random SU(3) on 4^4: every datatype and real format, through a file and through memory. */
class NerscRoundTripTest {

    @TempDir
    Path dir;

    static double[] field;

    @BeforeAll
    static void makeField() {
        field = NerscTestFields.haar(NerscTestFields.L4, 21);
    }

    static Stream<Arguments> formats() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (NerscDataType t : NerscDataType.values()) {
            for (NerscFloatingPoint f : NerscFloatingPoint.values()) {
                b.add(Arguments.of(t, f));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formats")
    void roundTrip(NerscDataType type, NerscFloatingPoint fp) throws Exception {
        int[] ext = NerscTestFields.L4;
        Path f = dir.resolve("conf.nersc");
        NerscWriter.Options opts = NerscWriter.Options.defaults().withDataType(type).withFloatingPoint(fp)
                .withCreationDate(Instant.parse("2024-05-01T12:00:00Z"));
        NerscHeader written = NerscWriter.write(f, field, ext, opts);
        byte[] file = Files.readAllBytes(f);
        assertArrayEquals(NerscWriter.toBytes(field, ext, opts), file, "file and in-memory bytes agree");
        assertEquals(written.byteLength() + 256L * 4 * type.realsPerLink() * fp.bytes(), file.length);

        NerscConfiguration back = NerscReader.read(f);
        assertEquals(fp, back.layout().floatingPoint());
        assertEquals(type, back.layout().dataType());
        assertArrayEquals(ext, back.extents());

        // The stored rows: exact in 64 bits, float-rounded in 32 bits.
        double[] expected = field.clone();
        if (fp.bytes() == 4) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) expected[i];
            }
        }
        if (type.storedRows() == 2) {
            for (int off = 0; off < expected.length; off += 18) {
                ThirdRow.reconstruct(expected, off);
            }
        }
        assertArrayEquals(expected, back.links(), "bit for bit what the file stores (third row rebuilt if not stored)");
        double maxErr = 0;
        for (int i = 0; i < field.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(back.links()[i] - field[i]));
        }
        double bound = fp.bytes() == 8 ? (type.storedRows() == 3 ? 0 : 1e-14) : 1e-6;
        assertTrue(maxErr <= bound, "max error " + maxErr + " > " + bound);
        if (fp.bytes() == 4) {
            assertTrue(maxErr > 0, "32-bit rounding must show");
        }

        // CHECKSUM: the data's 32-bit words in the file's byte order, and the stored reals' bit patterns.
        int byWords = NerscTestFields.wordSum(file, fp.order());
        int byValues = NerscTestFields.valueSum(NerscTestFields.storedReals(expected, type.storedRows()), fp.bits());
        assertEquals(byWords, byValues);
        assertEquals(NerscChecksum.format(byWords), NerscTestFields.headerValue(file, "CHECKSUM"));
        assertEquals(byWords, back.computed().checksum());
        assertEquals(back.computed().plaquette(), Double.parseDouble(NerscTestFields.headerValue(file, "PLAQUETTE")), 0.0);
        assertEquals(back.computed().linkTrace(), Double.parseDouble(NerscTestFields.headerValue(file, "LINK_TRACE")), 0.0);
    }

    @Test
    void gaugeFieldsRoundTripWithWilsonActionsPlaquette() throws Exception {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(8, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(new SUN(3), Lattice.parse("4x2x3x5"), 2, rng);
            Path file = dir.resolve("gf.nersc");
            NerscHeader h = NerscFiles.write(file, f, 1, NerscWriter.Options.defaults());
            NerscFiles.Loaded back = NerscFiles.read(file);
            assertEquals(f.lattice(), back.field().lattice());
            assertEquals(new SUN(3), back.field().group());
            assertTrue(back.field().links().equal(f.select(1).links()), "64-bit 3x3 keeps the field exactly");
            double torchPlaq = WilsonAction.averagePlaquette(f.select(1)).item_double();
            assertEquals(torchPlaq, back.configuration().computed().plaquette(), 1e-14);
            assertEquals(torchPlaq, h.doubleValue("PLAQUETTE"), 1e-14);
            assertEquals("5", h.entries().get("DIMENSION_4"));
            assertEquals("4", h.entries().get("DIMENSION_1"));
        }
    }

    @Test
    void float32FieldsAreWrittenFromTheirValues() throws Exception {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(9, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(new SUN(3), NerscTestFields.lattice4(), 1, rng)
                    .to(FieldOptions.cpu(org.gaugeflow.tensor.Precision.FLOAT));
            Path file = dir.resolve("f32.nersc");
            NerscFiles.write(file, f, NerscWriter.Options.defaults().withBits(32));
            NerscFiles.Loaded back = NerscFiles.read(file, NerscReader.Options.defaults(),
                    FieldOptions.cpu(org.gaugeflow.tensor.Precision.FLOAT));
            assertTrue(back.field().links().equal(f.links()), "a float field survives a 32-bit file exactly");
        }
    }

    @Test
    void refusesFieldsThatAreNotSu3In4d() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, FieldOptions.CPU_DOUBLE)) {
            GaugeField su2 = GaugeField.haar(new SUN(2), NerscTestFields.lattice4(), 1, rng);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> NerscFiles.write(dir.resolve("x"), su2, NerscWriter.Options.defaults()));
            assertTrue(e.getMessage().contains("4D SU(3)"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("x")));
        }
    }
}
