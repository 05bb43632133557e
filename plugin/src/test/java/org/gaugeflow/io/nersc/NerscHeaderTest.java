package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NerscHeaderTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static NerscFormatException refused(String text) {
        NerscFormatException e = assertThrows(NerscFormatException.class, () -> NerscHeader.parse("f.nersc", bytes(text)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("f.nersc: "), e.getMessage());
        return e;
    }

    @Test
    void parsesKeysInOrderKeepsUnknownOnesAndStopsAtTheData() throws Exception {
        String text = "BEGIN_HEADER\r\n  HDR_VERSION = 1.0\r\nDATATYPE=4D_SU3_GAUGE\n\nPLAQUETTE  =  0.5881234 \n"
                + "MY_KEY = a = b\nCHECKSUM =   1a2B3c\nEND_HEADER\n";
        ByteBuffer buf = bytes(text + "\u0001\u0002");
        NerscHeader h = NerscHeader.parse("f.nersc", buf);
        assertEquals(List.of("HDR_VERSION", "DATATYPE", "PLAQUETTE", "MY_KEY", "CHECKSUM"), List.copyOf(h.entries().keySet()));
        assertEquals("a = b", h.entries().get("MY_KEY"));
        assertEquals(0.5881234, h.doubleValue("PLAQUETTE"), 0.0);
        assertEquals(0x1a2b3cL, h.checksum());
        assertEquals(NerscDataType.SU3_GAUGE, h.dataType());
        assertEquals(text.length(), h.byteLength());
        assertEquals(text.length(), buf.position(), "position at the first data byte");
    }

    @Test
    void formatsAndParsesBack() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("DATATYPE", "4D_SU3_GAUGE_3x3");
        m.put("DIMENSION_1", "4");
        m.put("DIMENSION_2", "4");
        m.put("DIMENSION_3", "4");
        m.put("DIMENSION_4", "8");
        m.put("ENSEMBLE_LABEL", "");
        m.put("FLOATING_POINT", "IEEE32BIG");
        NerscHeader h = NerscHeader.of("x", m);
        byte[] f = h.format();
        assertEquals(f.length, h.byteLength());
        NerscHeader back = NerscHeader.parse("x", ByteBuffer.wrap(f));
        assertEquals(m, back.entries());
        assertArrayEquals(new int[] {4, 4, 4, 8}, back.dimensions());
        assertEquals(List.of(NerscFloatingPoint.IEEE32BIG), back.floatingPoint());
        assertEquals("1.5", back.with("PLAQUETTE", "1.5").entries().get("PLAQUETTE"));
        assertThrows(IllegalArgumentException.class, () -> NerscHeader.of("x", Map.of("BAD KEY", "1")));
        assertThrows(IllegalArgumentException.class, () -> NerscHeader.of("x", Map.of("K", "two\nlines")));
    }

    @Test
    void parsesChecksumsLeniently() throws Exception {
        assertEquals(0xf4000000L, NerscChecksum.parse("  F4000000"));
        assertEquals(0xf4000000L, NerscChecksum.parse("0xf4000000"));
        assertEquals(0x1f4000000L, NerscChecksum.parse("1f4000000"), "64-bit sums are accepted");
        assertTrue(NerscChecksum.matches(0x1f4000000L, 0xf4000000), "low 32 bits compared");
        assertEquals("f4000000", NerscChecksum.format(0xf4000000));
        assertEquals("0", NerscChecksum.format(0));
    }

    @Test
    void missingEndHeader() {
        String m = refused("BEGIN_HEADER\nDATATYPE = 4D_SU3_GAUGE\nFLOATING_POINT = IEEE64BIG\n").getMessage();
        assertTrue(m.contains("without an END_HEADER line"), m);
        String m2 = refused("BEGIN_HEADER\nDATATYPE = 4D_SU3_GAUGE\n\u0000\u0001\u00ff?\u0003\n").getMessage();
        assertTrue(m2.contains("no END_HEADER line before binary data"), m2);
    }

    @Test
    void notANerscFile() {
        assertTrue(refused("").getMessage().contains("empty file"));
        String m = refused("PK\u0003\u0004 zip").getMessage();
        assertTrue(m.contains("expected BEGIN_HEADER"), m);
    }

    @Test
    void malformedLines() {
        String m = refused("BEGIN_HEADER\nDATATYPE 4D_SU3_GAUGE\nEND_HEADER\n").getMessage();
        assertTrue(m.contains("line 2 'DATATYPE 4D_SU3_GAUGE' is not KEY = VALUE"), m);
        m = refused("BEGIN_HEADER\nCHECKSUM = 1\nCHECKSUM = 2\nEND_HEADER\n").getMessage();
        assertTrue(m.contains("CHECKSUM appears twice (lines 2 and 3)"), m);
    }

    private static NerscFormatException refusedValue(String key, String value, Accessor a) throws Exception {
        NerscHeader h = NerscHeader.parse("f.nersc", bytes("BEGIN_HEADER\n" + key + " = " + value + "\nEND_HEADER\n"));
        NerscFormatException e = assertThrows(NerscFormatException.class, () -> a.apply(h));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("f.nersc: header " + key), e.getMessage());
        return e;
    }

    private interface Accessor {
        Object apply(NerscHeader h) throws Exception;
    }

    @Test
    void malformedNumbersNameTheKeyAndWhatWasExpected() throws Exception {
        assertTrue(refusedValue("PLAQUETTE", "0.58.1", h -> h.doubleValue("PLAQUETTE")).getMessage()
                .contains("PLAQUETTE = '0.58.1', expected a decimal number"));
        refusedValue("PLAQUETTE", "nan", h -> h.doubleValue("PLAQUETTE"));
        refusedValue("LINK_TRACE", "1e999", h -> h.doubleValue("LINK_TRACE"));
        assertTrue(refusedValue("CHECKSUM", "xyz", NerscHeader::checksum).getMessage()
                .contains("CHECKSUM = 'xyz', expected a hex number"));
        assertTrue(refusedValue("DIMENSION_1", "four", NerscHeader::dimensions).getMessage()
                .contains("DIMENSION_1 = 'four', expected a positive integer"));
        refusedValue("DIMENSION_1", "0", NerscHeader::dimensions);
        assertTrue(refusedValue("DATATYPE", "4D_SU2_GAUGE", NerscHeader::dataType).getMessage()
                .contains("expected 4D_SU3_GAUGE or 4D_SU3_GAUGE_3x3"));
        refusedValue("FLOATING_POINT", "IEEE128", NerscHeader::floatingPoint);
        refusedValue("SEQUENCE_NUMBER", "1.5", h -> h.longValue("SEQUENCE_NUMBER"));
    }

    @Test
    void missingKeys() throws Exception {
        NerscHeader h = NerscHeader.parse("f.nersc", bytes("BEGIN_HEADER\nDIMENSION_1 = 4\nEND_HEADER\n"));
        NerscFormatException e = assertThrows(NerscFormatException.class, h::dimensions);
        assertEquals("f.nersc: header has no DIMENSION_2, expected a positive integer (lattice extent)", e.getMessage());
    }
}
