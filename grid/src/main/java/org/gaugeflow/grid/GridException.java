package org.gaugeflow.grid;

/** A non-zero status of the Grid bridge's C ABI (codes and texts of gaugeflow_grid.h). */
public final class GridException extends RuntimeException {

    private final int code;

    /** @param code the GG_ERR_* status; @param context what was being done */
    public GridException(int code, String context) {
        super(context + ": " + GridBridge.gg_error_string(code) + " (code " + code + ")");
        this.code = code;
    }

    /** The GG_ERR_* status. */
    public int code() {
        return code;
    }

    /** True when Grid's molecular dynamics produced non-finite numbers (a blown-up step size). */
    public boolean nonFinite() {
        return code == GridBridge.GG_ERR_NONFINITE;
    }
}
