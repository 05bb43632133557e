package org.gaugeflow.lattice;

import java.util.Arrays;

/**
 * A periodic hypercubic lattice of dimension d >= 2 with per-direction extents L_0..L_{d-1}.
 * Direction 0 is x, 3 is t. Site rank r = x_0 + L_0 (x_1 + L_1 (x_2 + L_2 x_3)): x runs fastest,
 * as in ILDG (docs/conventions.md).
 */
public final class Lattice {
    private final int[] extents;
    private final long volume;

    public Lattice(int... extents) {
        if (extents == null || extents.length < 2) {
            throw new IllegalArgumentException("lattice dimension d = " + (extents == null ? 0 : extents.length)
                    + ": expected d >= 2");
        }
        long v = 1;
        for (int mu = 0; mu < extents.length; mu++) {
            if (extents[mu] < 2) {
                throw new IllegalArgumentException("lattice extent L_" + mu + " = " + extents[mu] + ": expected >= 2");
            }
            try {
                v = Math.multiplyExact(v, extents[mu]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("lattice " + Arrays.toString(extents).replace(", ", "x").replaceAll("[\\[\\]]", "")
                        + ": the number of sites overflows 64-bit integers; expected a smaller lattice");
            }
        }
        this.extents = extents.clone();
        this.volume = v;
    }

    /** Parses "8x8", "4x4x4x8" (extents in direction order x, y, z, t). */
    public static Lattice parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("lattice '" + spec + "': expected extents like 8x8 or 4x4x4x8");
        }
        String[] parts = spec.trim().toLowerCase().split("x", -1);
        int[] ext = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (!p.matches("[0-9]+")) {
                throw new IllegalArgumentException("lattice '" + spec + "': "
                        + (p.isEmpty() ? "an empty extent (a separator too many)" : "extent '" + p + "' is not a number")
                        + "; expected extents like 8x8 or 4x4x4x8");
            }
            try {
                ext[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("lattice '" + spec + "': extent " + p + " is too large; expected extents below 2^31");
            }
        }
        return new Lattice(ext);
    }

    public int dims() { return extents.length; }

    public int extent(int mu) { checkDirection(mu); return extents[mu]; }

    public int[] extents() { return extents.clone(); }

    public long volume() { return volume; }

    /** Number of plaquettes per site: d(d-1)/2. */
    public int planes() { return extents.length * (extents.length - 1) / 2; }

    /** Site rank of coordinates (x_0, ..., x_{d-1}), periodic. */
    public long rank(int... x) {
        if (x.length != extents.length) {
            throw new IllegalArgumentException("coordinates of length " + x.length + ": expected " + extents.length);
        }
        long r = 0;
        for (int mu = extents.length - 1; mu >= 0; mu--) {
            r = r * extents[mu] + Math.floorMod(x[mu], extents[mu]);
        }
        return r;
    }

    /** Coordinates of site rank r. */
    public int[] coordinates(long r) {
        if (r < 0 || r >= volume) {
            throw new IllegalArgumentException("site rank " + r + ": expected 0 <= r < " + volume);
        }
        int[] x = new int[extents.length];
        for (int mu = 0; mu < extents.length; mu++) {
            x[mu] = (int) (r % extents[mu]);
            r /= extents[mu];
        }
        return x;
    }

    /** Rank of the neighbour x + steps * mu-hat, periodic. */
    public long neighbour(long r, int mu, int steps) {
        int[] x = coordinates(r);
        x[mu] += steps;
        return rank(x);
    }

    /** This lattice with extent along mu multiplied by factor (a doubling layer uses factor 2). */
    public Lattice refined(int mu, int factor) {
        int[] e = extents.clone();
        e[mu] *= factor;
        return new Lattice(e);
    }

    public void checkDirection(int mu) {
        if (mu < 0 || mu >= extents.length) {
            throw new IllegalArgumentException("direction mu = " + mu + ": expected 0 <= mu < " + extents.length);
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof Lattice l && Arrays.equals(extents, l.extents);
    }

    @Override public int hashCode() { return Arrays.hashCode(extents); }

    /** "8x8" style. */
    @Override public String toString() {
        StringBuilder b = new StringBuilder();
        for (int mu = 0; mu < extents.length; mu++) {
            if (mu > 0) b.append('x');
            b.append(extents[mu]);
        }
        return b.toString();
    }
}
