package org.gaugeflow.io.nersc;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;

/**
 * The {@code FLOATING_POINT} of a NERSC file: IEEE 754 reals of 32 or 64 bits in big- or little-endian
 * byte order. The bare names {@code IEEE32} and {@code IEEE64} are ambiguous between codes (Grid reads
 * them as little-endian, QDP++/Chroma and CPS as big-endian); {@link #candidates} returns both and the
 * reader settles the order with the checksum.
 */
public enum NerscFloatingPoint {
    IEEE32BIG(4, ByteOrder.BIG_ENDIAN),
    IEEE32LITTLE(4, ByteOrder.LITTLE_ENDIAN),
    IEEE64BIG(8, ByteOrder.BIG_ENDIAN),
    IEEE64LITTLE(8, ByteOrder.LITTLE_ENDIAN);

    private final int bytes;
    private final ByteOrder order;

    NerscFloatingPoint(int bytes, ByteOrder order) {
        this.bytes = bytes;
        this.order = order;
    }

    /** 4 or 8. */
    public int bytes() {
        return bytes;
    }

    public int bits() {
        return bytes * 8;
    }

    public ByteOrder order() {
        return order;
    }

    /** The value written for the {@code FLOATING_POINT} key (the enum name). */
    public String headerName() {
        return name();
    }

    /** The format with the given real size (4 or 8 bytes) and byte order. */
    public static NerscFloatingPoint of(int bytes, ByteOrder order) {
        for (NerscFloatingPoint f : values()) {
            if (f.bytes == bytes && f.order == order) {
                return f;
            }
        }
        throw new IllegalArgumentException("no IEEE format of " + bytes + " bytes: expected 4 or 8");
    }

    /**
     * The formats a {@code FLOATING_POINT} value may mean, most likely first: one for the explicit names
     * ({@code IEEE32BIG}, {@code IEEE64LITTLE}, ...), two for the bare {@code IEEE32}/{@code IEEE64}
     * (little-endian first, as Grid writes and reads them), none for anything else.
     */
    static List<NerscFloatingPoint> candidates(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        switch (v) {
            case "IEEE32BIG":
                return List.of(IEEE32BIG);
            case "IEEE32LITTLE":
                return List.of(IEEE32LITTLE);
            case "IEEE64BIG":
                return List.of(IEEE64BIG);
            case "IEEE64LITTLE":
                return List.of(IEEE64LITTLE);
            case "IEEE32":
                return List.of(IEEE32LITTLE, IEEE32BIG);
            case "IEEE64":
                return List.of(IEEE64LITTLE, IEEE64BIG);
            default:
                return List.of();
        }
    }
}
