package org.gaugeflow.io.nersc;

import java.util.Locale;

/**
 * The {@code DATATYPE} of a NERSC gauge file: how many rows of each SU(3) link are stored.
 * {@code 4D_SU3_GAUGE} keeps the first two rows (the third is rebuilt as the complex conjugate of
 * their cross product); {@code 4D_SU3_GAUGE_3x3} keeps the whole matrix.
 */
public enum NerscDataType {
    /** Two rows per link (12 reals); the third row is reconstructed on reading. */
    SU3_GAUGE("4D_SU3_GAUGE", 2),
    /** The full 3x3 matrix per link (18 reals). */
    SU3_GAUGE_3X3("4D_SU3_GAUGE_3x3", 3);

    private final String headerName;
    private final int storedRows;

    NerscDataType(String headerName, int storedRows) {
        this.headerName = headerName;
        this.storedRows = storedRows;
    }

    /** The value of the {@code DATATYPE} key. */
    public String headerName() {
        return headerName;
    }

    /** Rows of each 3x3 matrix present in the file: 2 or 3. */
    public int storedRows() {
        return storedRows;
    }

    /** Reals stored per link: rows x 3 columns x (re, im). */
    public int realsPerLink() {
        return storedRows * 3 * 2;
    }

    /** Parses a {@code DATATYPE} value (case-insensitive); null when it is neither SU(3) type. */
    static NerscDataType parseOrNull(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        for (NerscDataType t : values()) {
            if (t.headerName.toUpperCase(Locale.ROOT).equals(v)) {
                return t;
            }
        }
        return null;
    }
}
