package org.gaugeflow.io.nersc;

/**
 * The data of a NERSC file disagrees with its header (CHECKSUM, PLAQUETTE, LINK_TRACE) or its links
 * are not SU(3) ({@code unitarity}). The one-line message names the file, the check, the computed
 * value and the header's value (or the tolerance).
 */
public final class NerscCheckException extends NerscFormatException {
    private static final long serialVersionUID = 1L;

    private final String check;
    private final String computed;
    private final String expected;

    /**
     * @param check    the header key checked ({@code CHECKSUM}, {@code PLAQUETTE}, {@code LINK_TRACE})
     *                 or {@code unitarity}
     * @param computed the value computed from the data
     * @param expected the header's value, or the bound for unitarity
     * @param detail   appended to the message (tolerance, ...); may be empty
     */
    public NerscCheckException(String source, String check, String computed, String expected, String detail) {
        super(source + ": " + check + " check failed: computed " + computed + ", "
                + ("unitarity".equals(check) ? "allowed " : "header ") + expected
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.check = check;
        this.computed = computed;
        this.expected = expected;
    }

    public String check() {
        return check;
    }

    public String computed() {
        return computed;
    }

    public String expected() {
        return expected;
    }
}
