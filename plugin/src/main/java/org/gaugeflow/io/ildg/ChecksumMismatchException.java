package org.gaugeflow.io.ildg;

/** The SciDAC checksum stored in a file differs from the one computed from its data. */
public final class ChecksumMismatchException extends IldgFormatException {
    private static final long serialVersionUID = 1L;

    private final ScidacChecksum stored;
    private final ScidacChecksum computed;

    public ChecksumMismatchException(String file, ScidacChecksum stored, ScidacChecksum computed) {
        super(file + ": SciDAC checksum mismatch: stored " + stored + ", computed " + computed);
        this.stored = stored;
        this.computed = computed;
    }

    public ScidacChecksum stored() {
        return stored;
    }

    public ScidacChecksum computed() {
        return computed;
    }
}
