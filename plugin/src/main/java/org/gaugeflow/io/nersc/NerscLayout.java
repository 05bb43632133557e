package org.gaugeflow.io.nersc;

import java.util.Arrays;

/**
 * What the binary data of a NERSC file holds: a 4D lattice L_x x L_y x L_z x L_t, the stored rows per
 * link and the real format. The data is {@code [t][z][y][x][mu][row][col][re,im]} (x fastest, mu = x,
 * y, z, t), with 2 or 3 rows per link. In memory the links are always the full ILDG-ordered
 * {@code double[]} of {@link #ildgLength()} reals, {@code [t][z][y][x][mu][3][3][2]}.
 *
 * @param extents L_x, L_y, L_z, L_t
 */
public record NerscLayout(int[] extents, NerscDataType dataType, NerscFloatingPoint floatingPoint) {

    /** Reals per site in ILDG order: 4 links of 3x3 complex entries. */
    public static final int ILDG_REALS_PER_SITE = 4 * 9 * 2;

    public NerscLayout {
        if (extents == null || extents.length != 4) {
            throw new IllegalArgumentException("NERSC files hold 4D lattices, got extents "
                    + Arrays.toString(extents));
        }
        extents = extents.clone();
        for (int l : extents) {
            if (l < 1) {
                throw new IllegalArgumentException("lattice extents must be >= 1, got " + describe(extents));
            }
        }
        if (dataType == null || floatingPoint == null) {
            throw new IllegalArgumentException("a NERSC layout needs a DATATYPE and a FLOATING_POINT");
        }
    }

    @Override
    public int[] extents() {
        return extents.clone();
    }

    public long volume() {
        long v = 1;
        for (int l : extents) {
            v = Math.multiplyExact(v, l);
        }
        return v;
    }

    /** Reals stored per site: 4 links of {@code rows x 3} complex entries. */
    public int storedRealsPerSite() {
        return 4 * dataType.realsPerLink();
    }

    public int siteBytes() {
        return storedRealsPerSite() * floatingPoint.bytes();
    }

    /** Bytes of binary data after the header. */
    public long dataBytes() {
        return Math.multiplyExact(volume(), siteBytes());
    }

    /**
     * Length of the in-memory ILDG-ordered array; a Java array holds at most 2^31 - 1 reals, so
     * lattices above about 29.8 million sites (e.g. 64^3 x 128) are refused.
     */
    public int ildgLength() {
        long n = Math.multiplyExact(volume(), ILDG_REALS_PER_SITE);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("lattice " + describe(extents) + " needs " + n
                    + " reals, more than a Java array holds (2^31 - 1)");
        }
        return (int) n;
    }

    public NerscLayout withFloatingPoint(NerscFloatingPoint f) {
        return new NerscLayout(extents, dataType, f);
    }

    public static String describe(int[] extents) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < extents.length; i++) {
            b.append(i == 0 ? "" : "x").append(extents[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NerscLayout l && Arrays.equals(extents, l.extents) && dataType == l.dataType
                && floatingPoint == l.floatingPoint;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(extents) * 31 + dataType.hashCode() * 7 + floatingPoint.hashCode();
    }

    @Override
    public String toString() {
        return describe(extents) + " " + dataType.headerName() + " " + floatingPoint.headerName();
    }
}
