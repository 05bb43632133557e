package org.gaugeflow.io.nersc;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Converts whole sites between the binary data of a NERSC file (2 or 3 rows per link, 32- or 64-bit
 * reals in either byte order) and the ILDG-ordered {@code double[]} (full 3x3 links). Decoding
 * rebuilds a missing third row with {@link ThirdRow}; encoding drops it.
 */
final class NerscBinaryCodec {

    private static final int LINK = 18;

    private NerscBinaryCodec() {
    }

    /**
     * Decodes {@code sites} sites from the buffer's position (which ends after them) into
     * {@code out}, starting at site {@code firstSite}. The buffer's byte order is ignored; the
     * layout's is used.
     */
    static void decode(ByteBuffer data, NerscLayout layout, double[] out, int firstSite, int sites) {
        int bytes = sites * layout.siteBytes();
        ByteBuffer in = data.slice().limit(bytes).order(layout.floatingPoint().order());
        int rowReals = 6;
        int rows = layout.dataType().storedRows();
        int links = sites * 4;
        int base = firstSite * NerscLayout.ILDG_REALS_PER_SITE;
        if (layout.floatingPoint().bytes() == 8) {
            DoubleBuffer d = in.asDoubleBuffer();
            for (int l = 0; l < links; l++) {
                int off = base + l * LINK;
                d.get(out, off, rows * rowReals);
                if (rows == 2) {
                    ThirdRow.reconstruct(out, off);
                }
            }
        } else {
            FloatBuffer f = in.asFloatBuffer();
            for (int l = 0; l < links; l++) {
                int off = base + l * LINK;
                for (int i = 0; i < rows * rowReals; i++) {
                    out[off + i] = f.get();
                }
                if (rows == 2) {
                    ThirdRow.reconstruct(out, off);
                }
            }
        }
        data.position(data.position() + bytes);
    }

    /**
     * Encodes {@code sites} sites of {@code links} starting at {@code firstSite} into {@code out} at its
     * position (which ends after them), in the layout's byte order and precision.
     */
    static void encode(double[] links, NerscLayout layout, int firstSite, int sites, ByteBuffer out) {
        int bytes = sites * layout.siteBytes();
        ByteBuffer o = out.slice().limit(bytes).order(layout.floatingPoint().order());
        int stored = layout.dataType().storedRows() * 6;
        int links4 = sites * 4;
        int base = firstSite * NerscLayout.ILDG_REALS_PER_SITE;
        if (layout.floatingPoint().bytes() == 8) {
            DoubleBuffer d = o.asDoubleBuffer();
            for (int l = 0; l < links4; l++) {
                d.put(links, base + l * LINK, stored);
            }
        } else {
            FloatBuffer f = o.asFloatBuffer();
            for (int l = 0; l < links4; l++) {
                int off = base + l * LINK;
                for (int i = 0; i < stored; i++) {
                    f.put((float) links[off + i]);
                }
            }
        }
        out.position(out.position() + bytes);
    }

    /**
     * What a reader gets back after {@link #encode} then {@link #decode}: the reals rounded to the
     * file's precision and, for 2-row data, the third row rebuilt from the (rounded) first two.
     */
    static double[] asStored(double[] links, NerscLayout layout) {
        boolean rows2 = layout.dataType().storedRows() == 2;
        boolean single = layout.floatingPoint().bytes() == 4;
        if (!rows2 && !single) {
            return links;
        }
        double[] s = links.clone();
        if (single) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) s[i];
            }
        }
        if (rows2) {
            for (int off = 0; off < s.length; off += LINK) {
                ThirdRow.reconstruct(s, off);
            }
        }
        return s;
    }

    /** Index of the first NaN or infinite real, or -1. */
    static int firstNonFinite(double[] links) {
        for (int i = 0; i < links.length; i++) {
            if (!Double.isFinite(links[i])) {
                return i;
            }
        }
        return -1;
    }

    /** "site (x,y,z,t) mu m entry (row,col) re/im" for an index into an ILDG-ordered array. */
    static String describeIndex(int index, int[] extents) {
        int reim = index % 2;
        int col = index / 2 % 3;
        int row = index / 6 % 3;
        int mu = index / LINK % 4;
        long r = index / NerscLayout.ILDG_REALS_PER_SITE;
        int x = (int) (r % extents[0]);
        r /= extents[0];
        int y = (int) (r % extents[1]);
        r /= extents[1];
        int z = (int) (r % extents[2]);
        int t = (int) (r / extents[2]);
        return "site (" + x + "," + y + "," + z + "," + t + ") mu " + mu + " entry (" + row + "," + col + ") "
                + (reim == 0 ? "re" : "im");
    }
}
