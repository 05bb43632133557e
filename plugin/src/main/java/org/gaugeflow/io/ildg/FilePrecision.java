package org.gaugeflow.io.ildg;

import org.gaugeflow.tensor.Precision;

/**
 * How a {@link Precision} appears in a file: ILDG's {@code <precision>} 32 or 64, bytes per real,
 * and QIO's letter F or D.
 */
public final class FilePrecision {

    private FilePrecision() {
    }

    public static int bits(Precision p) {
        return p == Precision.DOUBLE ? 64 : 32;
    }

    public static int bytes(Precision p) {
        return bits(p) / 8;
    }

    public static String qioLetter(Precision p) {
        return p == Precision.DOUBLE ? "D" : "F";
    }

    /** 32 or 64 (what {@code --precision} and {@code <precision>} take). */
    public static Precision ofBits(long bits) {
        if (bits == 64) {
            return Precision.DOUBLE;
        }
        if (bits == 32) {
            return Precision.FLOAT;
        }
        throw new IllegalArgumentException("precision must be 32 or 64 bits, got " + bits);
    }
}
