package org.gaugeflow.io.lime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class LimeHeaderTest {

    @Test
    void encodesTheC_limeLayout() {
        ByteBuffer b = new LimeHeader("ildg-format", 365, true, false).encode();
        assertEquals(144, b.remaining());
        assertEquals(0x456789AB, b.getInt(0));
        assertEquals(1, b.getShort(4));
        assertEquals((byte) 0x80, b.get(6));
        assertEquals(0, b.get(7));
        assertEquals(365L, b.getLong(8));
        assertEquals('i', b.get(16));
        assertEquals(0, b.get(16 + "ildg-format".length()));
        assertEquals((byte) 0x40, new LimeHeader("x", 0, false, true).encode().get(6));
        assertEquals((byte) 0xC0, new LimeHeader("x", 0, true, true).encode().get(6));
    }

    @Test
    void roundTripsLengthsBeyond32Bits() throws Exception {
        long huge = (5L << 32) + 3;
        LimeHeader h = LimeHeader.decode(new LimeHeader("ildg-binary-data", huge, false, true).encode(), "t");
        assertEquals(huge, h.dataLength());
        assertEquals("ildg-binary-data", h.type());
        assertFalse(h.messageBegin());
        assertTrue(h.messageEnd());
        assertEquals(huge + 5, h.paddedLength());
    }

    @Test
    void paddingRoundsUpToEightBytes() {
        assertEquals(0, LimeHeader.padding(0));
        assertEquals(7, LimeHeader.padding(1));
        assertEquals(0, LimeHeader.padding(8));
        assertEquals(3, LimeHeader.padding(365));
    }

    @Test
    void rejectsBadMagicVersionAndShortHeaders() {
        ByteBuffer b = new LimeHeader("x", 1, true, true).encode();
        b.putInt(0, 0xAB896745);
        LimeFormatException e = assertThrows(LimeFormatException.class, () -> LimeHeader.decode(b, "f at offset 0"));
        assertEquals("f at offset 0: bad LIME magic 0xab896745, expected 0x456789ab", e.getMessage());

        ByteBuffer v = new LimeHeader("x", 1, true, true).encode();
        v.putShort(4, (short) 2);
        assertTrue(assertThrows(LimeFormatException.class, () -> LimeHeader.decode(v, "f"))
                .getMessage().contains("version 2"));

        ByteBuffer junk = ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(assertThrows(LimeFormatException.class, () -> LimeHeader.decode(junk, "f"))
                .getMessage().contains("bad LIME magic 0x68656c6c"));

        ByteBuffer s = new LimeHeader("x", 1, true, true).encode().limit(100);
        assertTrue(assertThrows(LimeFormatException.class, () -> LimeHeader.decode(s, "f"))
                .getMessage().contains("truncated LIME header, 100 bytes"));

        ByteBuffer n = new LimeHeader("x", 1, true, true).encode();
        n.putLong(8, -1L);
        assertTrue(assertThrows(LimeFormatException.class, () -> LimeHeader.decode(n, "f"))
                .getMessage().contains("18446744073709551615"));
    }
}
