package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal is one line naming the file and what failed (computed against header, or sizes). */
class NerscCorruptInputTest {

    @TempDir
    Path dir;

    static double[] field;
    static byte[] good;
    static byte[] good2row32;

    @BeforeAll
    static void makeFiles() {
        field = NerscTestFields.haar(NerscTestFields.L4, 31);
        good = NerscWriter.toBytes(field, NerscTestFields.L4, NerscWriter.Options.defaults());
        good2row32 = NerscWriter.toBytes(field, NerscTestFields.L4, NerscWriter.Options.defaults()
                .withDataType(NerscDataType.SU3_GAUGE).withBits(32));
    }

    private NerscFormatException refused(byte[] bytes) throws Exception {
        return refused(bytes, NerscReader.Options.defaults());
    }

    private NerscFormatException refused(byte[] bytes, NerscReader.Options options) throws Exception {
        Path f = dir.resolve("bad.nersc");
        Files.write(f, bytes);
        NerscFormatException e = assertThrows(NerscFormatException.class, () -> NerscReader.read(f, options));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e;
    }

    @Test
    void theGoodFilesRead() throws Exception {
        Path f = dir.resolve("good.nersc");
        Files.write(f, good);
        assertEquals(field.length, NerscReader.readLinks(f).length);
        Files.write(f, good2row32);
        assertEquals(field.length, NerscReader.read(f).links().length);
    }

    @Test
    void aFlippedDataByteFailsTheChecksum() throws Exception {
        for (byte[] file : new byte[][] {good, good2row32}) {
            byte[] bad = file.clone();
            int at = NerscTestFields.dataStart(bad) + 1000;
            bad[at] ^= 0x01;
            NerscCheckException e = (NerscCheckException) refused(bad);
            assertEquals("CHECKSUM", e.check());
            assertEquals(NerscTestFields.headerValue(file, "CHECKSUM"), e.expected());
            assertEquals(NerscChecksum.format(NerscTestFields.wordSum(bad, ByteOrder.BIG_ENDIAN)), e.computed());
            assertTrue(e.getMessage().contains("CHECKSUM check failed: computed " + e.computed() + ", header "
                    + e.expected()), e.getMessage());
        }
    }

    @Test
    void aLowMantissaFlipPassesWhenTheChecksumIsNotVerified() throws Exception {
        byte[] bad = good.clone();
        bad[NerscTestFields.dataStart(bad) + 7] ^= 0x01; // last byte of the first big-endian double
        Path f = dir.resolve("flip.nersc");
        Files.write(f, bad);
        NerscConfiguration c = NerscReader.read(f, NerscReader.Options.defaults().withVerifyChecksum(false));
        assertEquals(Math.ulp(field[0]), Math.abs(c.links()[0] - field[0]), 0.0);
    }

    @Test
    void aWrongByteOrderIsNamed() throws Exception {
        byte[] bad = NerscTestFields.withHeaderLine(good, "FLOATING_POINT", "FLOATING_POINT = IEEE64LITTLE");
        NerscCheckException e = (NerscCheckException) refused(bad);
        assertEquals("CHECKSUM", e.check());
        assertTrue(e.getMessage().endsWith("the words in big-endian order match: FLOATING_POINT names the wrong byte order)"),
                e.getMessage());
    }

    @Test
    void aWrongLatticeOrDatatypeIsASizeMismatch() throws Exception {
        String m = refused(NerscTestFields.withHeaderLine(good, "DATATYPE", "DATATYPE = 4D_SU3_GAUGE")).getMessage();
        assertTrue(m.contains("for 4x4x4x4 4D_SU3_GAUGE IEEE64BIG; 49152 bytes after the data)"), m);
        m = refused(NerscTestFields.withHeaderLine(good, "DIMENSION_4", "DIMENSION_4 = 8")).getMessage();
        assertTrue(m.contains("for 4x4x4x8 4D_SU3_GAUGE_3x3 IEEE64BIG; truncated)"), m);
    }

    @Test
    void aWrongPlaquetteInTheHeader() throws Exception {
        double plaq = Double.parseDouble(NerscTestFields.headerValue(good, "PLAQUETTE"));
        byte[] bad = NerscTestFields.withHeaderLine(good, "PLAQUETTE", "PLAQUETTE = " + (plaq + 1e-4));
        NerscCheckException e = (NerscCheckException) refused(bad);
        assertEquals("PLAQUETTE", e.check());
        assertTrue(e.getMessage().contains("PLAQUETTE check failed: computed "), e.getMessage());
        assertTrue(e.getMessage().contains("header " + (plaq + 1e-4)), e.getMessage());
        // Within the tolerance (header precision of 6 significant digits): accepted.
        byte[] rounded = NerscTestFields.withHeaderLine(good, "PLAQUETTE", String.format("PLAQUETTE = %.6g", plaq));
        Files.write(dir.resolve("ok.nersc"), rounded);
        NerscReader.read(dir.resolve("ok.nersc"));
        // And refused plaquettes can be let through explicitly.
        Files.write(dir.resolve("skip.nersc"), bad);
        NerscReader.read(dir.resolve("skip.nersc"), NerscReader.Options.defaults().withVerifyPlaquette(false));
    }

    @Test
    void aWrongLinkTraceInTheHeader() throws Exception {
        byte[] bad = NerscTestFields.withHeaderLine(good, "LINK_TRACE", "LINK_TRACE = 0.25");
        NerscCheckException e = (NerscCheckException) refused(bad);
        assertEquals("LINK_TRACE", e.check());
        assertEquals("0.25", e.expected());
    }

    @Test
    void aMissingPlaquetteIsAMissingKey() throws Exception {
        String m = refused(NerscTestFields.withHeaderLine(good, "PLAQUETTE", null)).getMessage();
        assertTrue(m.endsWith("header has no PLAQUETTE, expected a number"), m);
    }

    @Test
    void aTruncatedFileGivesBothSizes() throws Exception {
        byte[] cut = Arrays.copyOf(good, good.length - 100);
        String m = refused(cut).getMessage();
        int header = NerscTestFields.dataStart(good);
        assertTrue(m.contains("file has " + cut.length + " bytes, expected " + good.length + " (header " + header
                + " + data " + (good.length - header) + " for 4x4x4x4 4D_SU3_GAUGE_3x3 IEEE64BIG; truncated)"), m);
        byte[] longer = Arrays.copyOf(good, good.length + 8);
        assertTrue(refused(longer).getMessage().contains("8 bytes after the data"));
        byte[] headerOnly = Arrays.copyOf(good, NerscTestFields.dataStart(good));
        assertTrue(refused(headerOnly).getMessage().contains("truncated"));
    }

    @Test
    void aMissingEndHeader() throws Exception {
        byte[] bad = NerscTestFields.withHeaderLine(good, "FLOATING_POINT", "FLOATING_POINT = IEEE64BIG\nEND_HEADERX");
        // The END_HEADER line is now "END_HEADERX" followed by the original END_HEADER... remove that too:
        String text = new String(bad, 0, NerscTestFields.dataStart(bad), java.nio.charset.StandardCharsets.US_ASCII)
                .replace("END_HEADERX\nEND_HEADER\n", "");
        byte[] head = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] noEnd = new byte[head.length + good.length - NerscTestFields.dataStart(good)];
        System.arraycopy(head, 0, noEnd, 0, head.length);
        System.arraycopy(good, NerscTestFields.dataStart(good), noEnd, head.length, good.length - NerscTestFields.dataStart(good));
        String m = refused(noEnd).getMessage();
        assertTrue(m.contains("no END_HEADER line before binary data"), m);
    }

    @Test
    void malformedNumbers() throws Exception {
        String m = refused(NerscTestFields.withHeaderLine(good, "DIMENSION_3", "DIMENSION_3 = 4.0")).getMessage();
        assertTrue(m.endsWith("header DIMENSION_3 = '4.0', expected a positive integer (lattice extent)"), m);
        m = refused(NerscTestFields.withHeaderLine(good, "PLAQUETTE", "PLAQUETTE = 0,5881")).getMessage();
        assertTrue(m.endsWith("header PLAQUETTE = '0,5881', expected a decimal number like 0.5881234"), m);
        m = refused(NerscTestFields.withHeaderLine(good, "CHECKSUM", "CHECKSUM = 12345g")).getMessage();
        assertTrue(m.contains("header CHECKSUM = '12345g'"), m);
        m = refused(NerscTestFields.withHeaderLine(good, "DATATYPE", "DATATYPE = 4D_SU3_GAUGE_2x3")).getMessage();
        assertTrue(m.contains("header DATATYPE = '4D_SU3_GAUGE_2x3', expected 4D_SU3_GAUGE or 4D_SU3_GAUGE_3x3"), m);
    }

    @Test
    void linksThatAreNotSu3FailUnitarityEvenWithAMatchingChecksum() throws Exception {
        byte[] bad = good.clone();
        ByteBuffer data = ByteBuffer.wrap(bad, NerscTestFields.dataStart(bad), bad.length - NerscTestFields.dataStart(bad))
                .slice().order(ByteOrder.BIG_ENDIAN);
        data.putDouble(0, data.getDouble(0) + 0.01);
        String sum = NerscChecksum.format(NerscTestFields.wordSum(bad, ByteOrder.BIG_ENDIAN));
        bad = NerscTestFields.withHeaderLine(bad, "CHECKSUM", "CHECKSUM = " + sum);
        NerscCheckException e = (NerscCheckException) refused(bad);
        assertEquals("unitarity", e.check());
        assertTrue(e.getMessage().contains("unitarity check failed: computed max |U U^dagger - 1| = "), e.getMessage());
        assertTrue(e.getMessage().contains("allowed 1.00e-05"), e.getMessage());
    }

    @Test
    void nonFiniteLinks() throws Exception {
        byte[] bad = good.clone();
        ByteBuffer data = ByteBuffer.wrap(bad, NerscTestFields.dataStart(bad), bad.length - NerscTestFields.dataStart(bad))
                .slice().order(ByteOrder.BIG_ENDIAN);
        data.putDouble(8 * (72 + 18 + 7), Double.NaN);
        String m = refused(bad, NerscReader.Options.unchecked()).getMessage();
        assertTrue(m.endsWith("link site (1,0,0,0) mu 1 entry (1,0) im is NaN, expected a finite number"), m);
    }

    @Test
    void errorsFromMemoryNameTheSource() {
        byte[] cut = Arrays.copyOf(good, 50);
        NerscFormatException e = assertThrows(NerscFormatException.class,
                () -> NerscReader.read("cfg.1000", cut, NerscReader.Options.defaults()));
        assertTrue(e.getMessage().startsWith("cfg.1000: "), e.getMessage());
    }
}
