package org.gaugeflow.io.ildg;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.gaugeflow.tensor.Precision;

/**
 * What the binary data of a configuration holds: lattice extents, gauge group and precision.
 * The data is big-endian {@code [L_{d-1}]...[L_1][L_0][mu][row][col][re,im]}, which for d = 4 is
 * ILDG's {@code [t][z][y][x][mu][row][col][re,im]}; x (direction 0) runs fastest, so the site rank
 * is {@code r = x_0 + L_0 (x_1 + L_1 (x_2 + L_2 x_3))} as in {@code org.gaugeflow.lattice.Lattice}.
 *
 * @param extents L_0..L_{d-1} (x first)
 */
public record IldgLayout(long[] extents, FieldType field, Precision precision) {

    public IldgLayout {
        extents = extents.clone();
        if (extents.length < 2) {
            throw new IllegalArgumentException("lattice needs d >= 2 directions, got " + extents.length);
        }
        for (long l : extents) {
            if (l < 1) {
                throw new IllegalArgumentException("lattice extents must be >= 1, got " + describe(extents));
            }
        }
    }

    @Override
    public long[] extents() {
        return extents.clone();
    }

    public int dims() {
        return extents.length;
    }

    public long extent(int mu) {
        return extents[mu];
    }

    public long volume() {
        return Arrays.stream(extents).reduce(1L, Math::multiplyExact);
    }

    /** Real numbers per site: d links of N x N complex entries. */
    public long realsPerSite() {
        return 2L * dims() * field.colors() * field.colors();
    }

    public long siteBytes() {
        return realsPerSite() * FilePrecision.bytes(precision);
    }

    public long dataBytes() {
        return Math.multiplyExact(volume(), siteBytes());
    }

    /** ILDG proper: 4D SU(3). Anything else uses the gaugeflow extension. */
    public boolean isIldgStandard() {
        return dims() == 4 && field.isIldgStandard();
    }

    /** Shape of the ILDG-ordered complex tensor: [L_{d-1}, ..., L_0, d, N, N]. */
    public long[] tensorShape() {
        int d = dims();
        long[] shape = new long[d + 3];
        for (int i = 0; i < d; i++) {
            shape[i] = extents[d - 1 - i];
        }
        shape[d] = d;
        shape[d + 1] = field.colors();
        shape[d + 2] = field.colors();
        return shape;
    }

    public IldgLayout withPrecision(Precision p) {
        return new IldgLayout(extents, field, p);
    }

    /** The lattice as {@code L0xL1x...} (x first), the form the command line takes. */
    public String latticeString() {
        return describe(extents);
    }

    public static String describe(long[] extents) {
        return Arrays.stream(extents).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    /** Parses {@code 4x4x4x8} (L_0 first) into extents. */
    public static long[] parseLattice(String text) {
        String[] parts = text.strip().toLowerCase().split("x", -1);
        long[] ext = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                ext[i] = Long.parseLong(parts[i].strip());
                if (ext[i] < 1) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lattice '" + text + "' is not of the form 4x4x4x8 (x first)");
        }
        if (ext.length < 2) {
            throw new IllegalArgumentException("lattice '" + text + "' needs at least 2 directions, like 8x8");
        }
        return ext;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IldgLayout l && Arrays.equals(extents, l.extents)
                && field.equals(l.field) && precision == l.precision;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(extents) * 31 + field.hashCode() * 7 + precision.hashCode();
    }

    @Override
    public String toString() {
        return latticeString() + " " + field + " " + FilePrecision.bits(precision) + "-bit";
    }
}
