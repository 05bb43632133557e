package org.gaugeflow.io.ildg;

import java.util.Locale;

/**
 * The SciDAC checksum pair (suma, sumb) of a binary record, as QIO and c-lime based codes write it
 * in a {@code scidac-checksum} record; see {@link ScidacChecksumAccumulator} for how it is computed.
 * Written as 8 lowercase hex digits; parsed leniently (case, {@code 0x} prefix, fewer or more leading zeros).
 */
public record ScidacChecksum(int suma, int sumb) {

    public String sumaHex() {
        return hex(suma);
    }

    public String sumbHex() {
        return hex(sumb);
    }

    public static String hex(int v) {
        return String.format(Locale.ROOT, "%08x", v);
    }

    /** Parses a checksum value such as {@code 35b49a1b}, {@code 0x35B49A1B} or {@code 00035b49a1b}. */
    public static int parseHex(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        String digits = t.replaceFirst("^0+(?=.)", "");
        if (digits.isEmpty() || digits.length() > 8 || !digits.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("checksum value '" + text.strip()
                    + "' is not a 32-bit hex number like 35b49a1b");
        }
        return Integer.parseUnsignedInt(digits, 16);
    }

    @Override
    public String toString() {
        return "suma " + sumaHex() + " sumb " + sumbHex();
    }
}
