package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ScidacChecksumTest {

    @Test
    void parsesWhatRealFilesWrite() {
        assertEquals(0x35b49a1b, ScidacChecksum.parseHex("35b49a1b"));
        assertEquals(0x35b49a1b, ScidacChecksum.parseHex("  0x35B49A1B\n"));
        assertEquals(0x0000abcd, ScidacChecksum.parseHex("abcd"));
        assertEquals(0x0000abcd, ScidacChecksum.parseHex("0000000000abcd"));
        assertEquals(0, ScidacChecksum.parseHex("0"));
        assertEquals(0xffffffff, ScidacChecksum.parseHex("FFFFFFFF"));
        assertThrows(IllegalArgumentException.class, () -> ScidacChecksum.parseHex("1ffffffff"));
        assertThrows(IllegalArgumentException.class, () -> ScidacChecksum.parseHex("xyz"));
        assertThrows(IllegalArgumentException.class, () -> ScidacChecksum.parseHex(""));
        assertEquals("0000abcd", ScidacChecksum.hex(0xabcd));
    }

    /** tmLQCD's unit-gauge 4^4 SU(3) file stores suma 35b49a1b, sumb b49a1b35 (tests/src/test/resources/fixtures/ildg). */
    @Test
    void unitGaugeMatchesTheValueTmLqcdWrote() {
        ByteBuffer site = ByteBuffer.allocate(4 * 9 * 16).order(ByteOrder.BIG_ENDIAN);
        for (int mu = 0; mu < 4; mu++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    site.putDouble(i == j ? 1.0 : 0.0).putDouble(0.0);
                }
            }
        }
        ScidacChecksumAccumulator acc = new ScidacChecksumAccumulator();
        for (long r = 0; r < 256; r++) {
            acc.addSite(r, site.array(), 0, site.capacity());
        }
        assertEquals(new ScidacChecksum(0x35b49a1b, 0xb49a1b35), acc.result());
    }

    @Test
    void rotatesByRankModulo29And31AndIgnoresOrder() {
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5, 6, 7};
        ScidacChecksumAccumulator one = new ScidacChecksumAccumulator();
        one.addSite(30, a, 0, 3);
        one.addSite(31, b, 0, 4);
        ScidacChecksumAccumulator two = new ScidacChecksumAccumulator();
        two.addSite(31, b, 0, 4);
        two.addSite(30, a, 0, 3);
        assertEquals(one.result(), two.result());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(a);
        int ca = (int) crc.getValue();
        crc.reset();
        crc.update(b);
        int cb = (int) crc.getValue();
        assertEquals(Integer.rotateLeft(ca, 1) ^ Integer.rotateLeft(cb, 2), one.result().suma());
        assertEquals(Integer.rotateLeft(ca, 30) ^ cb, one.result().sumb());
    }

    @Test
    void addSitesWalksABufferSiteBySite() {
        ByteBuffer buf = ByteBuffer.allocateDirect(12);
        for (int i = 0; i < 12; i++) {
            buf.put(i, (byte) (i * 7));
        }
        ScidacChecksumAccumulator bulk = new ScidacChecksumAccumulator();
        bulk.addSites(5, 3, 4, buf);
        assertEquals(12, buf.position());
        ScidacChecksumAccumulator single = new ScidacChecksumAccumulator();
        byte[] all = new byte[12];
        buf.get(0, all);
        for (int s = 0; s < 3; s++) {
            single.addSite(5 + s, all, 4 * s, 4);
        }
        assertEquals(single.result(), bulk.result());
    }
}
