package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-made files and checksums worked out by hand for the unit field (no LibTorch). The 64-bit real
 * 1.0 is 0x3FF00000_00000000 (words 3ff00000 + 0), the 32-bit 1.0f is 0x3F800000; a 3x3 unit link
 * stores three ones, a two-row link two, a site four links.
 */
class NerscKnownAnswerTest {

    private static final int[] L2 = {2, 2, 2, 2};

    /**
     * 2^4, 3x3, 64-bit: 16 sites x 12 x 3ff00000 = 16 x 2ff400000 -> f4000000 (mod 2^32);
     * two rows: 16 x 8 x 3ff00000 -> f8000000; 32-bit 3x3: 16 x 12 x 3f800000 -> a0000000;
     * 32-bit two rows: 16 x 8 x 3f800000 -> c0000000; 4^4 3x3 64-bit: 256 x ff400000 -> 40000000;
     * 4^4 two rows 64-bit: 256 x ff800000 -> 80000000.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "2, SU3_GAUGE_3X3, IEEE64BIG, f4000000",
        "2, SU3_GAUGE, IEEE64BIG, f8000000",
        "2, SU3_GAUGE_3X3, IEEE32BIG, a0000000",
        "2, SU3_GAUGE, IEEE32BIG, c0000000",
        "2, SU3_GAUGE_3X3, IEEE64LITTLE, f4000000",
        "2, SU3_GAUGE, IEEE32LITTLE, c0000000",
        "4, SU3_GAUGE_3X3, IEEE64BIG, 40000000",
        "4, SU3_GAUGE, IEEE64BIG, 80000000"})
    void unitFieldChecksums(int l, NerscDataType type, NerscFloatingPoint fp, String checksum) throws Exception {
        int[] ext = {l, l, l, l};
        byte[] file = NerscWriter.toBytes(NerscTestFields.unit(ext), ext,
                NerscWriter.Options.defaults().withDataType(type).withFloatingPoint(fp));
        assertEquals(checksum, NerscTestFields.headerValue(file, "CHECKSUM"));
        assertEquals("1.0", NerscTestFields.headerValue(file, "PLAQUETTE"));
        assertEquals("1.0", NerscTestFields.headerValue(file, "LINK_TRACE"));
        assertEquals((int) Long.parseLong(checksum, 16), NerscTestFields.wordSum(file, fp.order()));
        NerscConfiguration back = NerscReader.read("unit", file, NerscReader.Options.defaults());
        assertArrayEquals(NerscTestFields.unit(ext), back.links());
    }

    /** A file as Grid lays it out (two blanks before a PLAQUETTE's '=', setw(10) checksum, empty STORAGE_FORMAT). */
    static byte[] gridStyleUnitFile(String floatingPoint, ByteOrder dataOrder, String checksum) {
        StringBuilder h = new StringBuilder("BEGIN_HEADER\n");
        h.append("HDR_VERSION = 1.0\nDATATYPE = 4D_SU3_GAUGE_3x3\nSTORAGE_FORMAT = \n");
        for (int i = 1; i <= 4; i++) {
            h.append("DIMENSION_").append(i).append(" = 2\n");
        }
        h.append("LINK_TRACE = 1\nPLAQUETTE  = 1\n");
        for (int i = 1; i <= 4; i++) {
            h.append("BOUNDARY_").append(i).append(" = PERIODIC\n");
        }
        h.append("CHECKSUM = ").append(String.format("%10s", checksum)).append('\n');
        h.append("SCIDAC_CHECKSUMA =          0\nSCIDAC_CHECKSUMB =          0\n");
        h.append("ENSEMBLE_ID = UKQCD\nENSEMBLE_LABEL = DWF\nSEQUENCE_NUMBER = 1\nCREATOR = someone\n");
        h.append("CREATOR_HARDWARE = host-x86_64-Linux-6.1\nCREATION_DATE = Mon Jan  1 00:00:00 2024 UTC\n");
        h.append("ARCHIVE_DATE = Mon Jan  1 00:00:00 2024 UTC\nFLOATING_POINT = ").append(floatingPoint).append('\n');
        h.append("END_HEADER\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        ByteBuffer data = ByteBuffer.allocate(16 * 4 * 18 * 8).order(dataOrder);
        for (int link = 0; link < 16 * 4; link++) {
            for (int i = 0; i < 18; i++) {
                data.putDouble(i == 0 || i == 8 || i == 16 ? 1.0 : 0.0);
            }
        }
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    @Test
    void writesNumbersAsExactPlainDecimals() {
        assertEquals("1.0", NerscWriter.decimal(1.0));
        assertEquals("0.00039988964953598647", NerscWriter.decimal(3.9988964953598647E-4));
        assertEquals(3.9988964953598647E-4, Double.parseDouble(NerscWriter.decimal(3.9988964953598647E-4)), 0.0);
        assertEquals("-0.5", NerscWriter.decimal(-0.5));
        assertEquals("1.0E-12", NerscWriter.decimal(1e-12));
        assertEquals("0.0", NerscWriter.decimal(0));
    }

    @Test
    void readsAHandMadeGridStyleFile() throws Exception {
        NerscConfiguration c = NerscReader.read("grid-style", gridStyleUnitFile("IEEE64BIG", ByteOrder.BIG_ENDIAN, "f4000000"),
                NerscReader.Options.defaults());
        assertArrayEquals(NerscTestFields.unit(L2), c.links());
        assertEquals(0xf4000000, c.computed().checksum());
        assertEquals(1.0, c.computed().plaquette(), 0.0);
        assertEquals(1.0, c.computed().linkTrace(), 0.0);
        assertEquals("", c.header().entries().get("STORAGE_FORMAT"));
        assertEquals("0", c.header().entries().get("SCIDAC_CHECKSUMA"), "unknown keys are kept");
        assertEquals(NerscFloatingPoint.IEEE64BIG, c.layout().floatingPoint());
    }

    @Test
    void theWritersDataIsTheHandMadeData() throws Exception {
        byte[] hand = gridStyleUnitFile("IEEE64BIG", ByteOrder.BIG_ENDIAN, "f4000000");
        byte[] ours = NerscWriter.toBytes(NerscTestFields.unit(L2), L2, NerscWriter.Options.defaults());
        assertArrayEquals(Arrays.copyOfRange(hand, NerscTestFields.dataStart(hand), hand.length),
                Arrays.copyOfRange(ours, NerscTestFields.dataStart(ours), ours.length));
    }

    /** IEEE64 does not name the byte order: Grid means little-endian, QDP++/CPS big-endian; the checksum decides. */
    @ParameterizedTest
    @CsvSource({"LITTLE_ENDIAN, IEEE64LITTLE", "BIG_ENDIAN, IEEE64BIG"})
    void bareIeee64IsSettledByTheChecksum(String order, NerscFloatingPoint expected) throws Exception {
        ByteOrder o = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        NerscConfiguration c = NerscReader.read("bare", gridStyleUnitFile("IEEE64", o, "f4000000"),
                NerscReader.Options.defaults());
        assertEquals(expected, c.layout().floatingPoint());
        assertArrayEquals(NerscTestFields.unit(L2), c.links());
        NerscConfiguration unchecked = NerscReader.read("bare", gridStyleUnitFile("IEEE64", o, "0"),
                NerscReader.Options.unchecked());
        assertEquals(expected, unchecked.layout().floatingPoint(), "without a checksum, unitarity decides");
    }

    @Test
    void writesTheDocumentedHeader() {
        byte[] file = NerscWriter.toBytes(NerscTestFields.unit(L2), L2, NerscWriter.Options.defaults()
                .withEnsemble("test-ensemble", "unit").withSequenceNumber(7).withCreator("someone", "host-x86_64")
                .withCreationDate(Instant.parse("2024-01-01T00:00:00Z")).withExtraKey("GAUGEFLOW_ORIGIN", "test"));
        String expected = String.join("\n",
                "BEGIN_HEADER",
                "HDR_VERSION = 1.0",
                "DATATYPE = 4D_SU3_GAUGE_3x3",
                "STORAGE_FORMAT = 1.0",
                "DIMENSION_1 = 2",
                "DIMENSION_2 = 2",
                "DIMENSION_3 = 2",
                "DIMENSION_4 = 2",
                "LINK_TRACE = 1.0",
                "PLAQUETTE = 1.0",
                "BOUNDARY_1 = PERIODIC",
                "BOUNDARY_2 = PERIODIC",
                "BOUNDARY_3 = PERIODIC",
                "BOUNDARY_4 = PERIODIC",
                "CHECKSUM = f4000000",
                "ENSEMBLE_ID = test-ensemble",
                "ENSEMBLE_LABEL = unit",
                "SEQUENCE_NUMBER = 7",
                "CREATOR = someone",
                "CREATOR_HARDWARE = host-x86_64",
                "CREATION_DATE = Mon Jan 1 00:00:00 2024 UTC",
                "ARCHIVE_DATE = Mon Jan 1 00:00:00 2024 UTC",
                "GAUGEFLOW_ORIGIN = test",
                "FLOATING_POINT = IEEE64BIG",
                "END_HEADER", "");
        assertEquals(expected, NerscTestFields.headerText(file));
        assertEquals(expected.length() + 16 * 4 * 18 * 8, file.length);
    }
}
