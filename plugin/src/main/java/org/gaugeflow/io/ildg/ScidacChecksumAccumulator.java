package org.gaugeflow.io.ildg;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The SciDAC checksum (QIO's DML_checksum_accum): for each site r (ILDG rank, x fastest) take the
 * CRC-32 (zlib polynomial) of that site's bytes exactly as stored in the file (big-endian), rotate
 * it left by {@code r mod 29} for suma and by {@code r mod 31} for sumb, and XOR over all sites.
 * Sites may be fed in any order.
 */
public final class ScidacChecksumAccumulator {

    private final CRC32 crc = new CRC32();
    private int suma;
    private int sumb;

    /** Adds one site: the {@code remaining()} bytes of {@code siteBytes} (position is advanced). */
    public void addSite(long rank, ByteBuffer siteBytes) {
        crc.reset();
        crc.update(siteBytes);
        add(rank, (int) crc.getValue());
    }

    /** Adds one site given as an array slice. */
    public void addSite(long rank, byte[] bytes, int offset, int length) {
        crc.reset();
        crc.update(bytes, offset, length);
        add(rank, (int) crc.getValue());
    }

    /**
     * Adds {@code count} consecutive sites of {@code siteBytes} bytes each, starting at rank
     * {@code firstRank}, from the buffer's position (which ends after the last site).
     */
    public void addSites(long firstRank, long count, int siteBytes, ByteBuffer data) {
        int start = data.position();
        int limit = data.limit();
        for (long i = 0; i < count; i++) {
            int from = start + (int) (i * siteBytes);
            data.limit(from + siteBytes).position(from);
            addSite(firstRank + i, data);
        }
        data.limit(limit).position(start + (int) (count * siteBytes));
    }

    private void add(long rank, int work) {
        suma ^= Integer.rotateLeft(work, (int) (rank % 29));
        sumb ^= Integer.rotateLeft(work, (int) (rank % 31));
    }

    public ScidacChecksum result() {
        return new ScidacChecksum(suma, sumb);
    }
}
