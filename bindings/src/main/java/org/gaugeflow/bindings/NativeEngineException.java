package org.gaugeflow.bindings;

/** A non-zero status of the native engine's C ABI (codes and texts of gaugeflow_engine.h). */
public final class NativeEngineException extends RuntimeException {

    private final int code;

    public NativeEngineException(int code, String context) {
        super(context + ": " + NativeEngine.gf_error_string(code) + " (code " + code + ")");
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True when the integrator produced non-finite numbers (a blown-up step size). */
    public boolean nonFinite() {
        return code == NativeEngine.GF_ERR_NONFINITE;
    }
}
