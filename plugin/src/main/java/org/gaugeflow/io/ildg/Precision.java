package org.gaugeflow.io.ildg;

/** Floating-point precision of the binary data: ILDG's {@code <precision>} 32 or 64. */
public enum Precision {
    SINGLE(32),
    DOUBLE(64);

    private final int bits;

    Precision(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public int bytes() {
        return bits / 8;
    }

    /** The letter QIO writes in {@code scidac-private-record-xml}: F or D. */
    public String qioLetter() {
        return this == SINGLE ? "F" : "D";
    }

    public static Precision ofBits(int bits) {
        return switch (bits) {
            case 32 -> SINGLE;
            case 64 -> DOUBLE;
            default -> throw new IllegalArgumentException("precision must be 32 or 64, got " + bits);
        };
    }

    public static Precision ofBytes(long bytes) {
        if (bytes == 4) {
            return SINGLE;
        }
        if (bytes == 8) {
            return DOUBLE;
        }
        throw new IllegalArgumentException("precision must be 4 or 8 bytes per real, got " + bytes);
    }
}
