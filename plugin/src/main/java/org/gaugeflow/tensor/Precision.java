package org.gaugeflow.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** Floating-point precision of fields and models: float64/complex128 (default) or float32/complex64. */
public enum Precision {
    DOUBLE(ScalarType.Double, ScalarType.ComplexDouble),
    FLOAT(ScalarType.Float, ScalarType.ComplexFloat);

    private final ScalarType real;
    private final ScalarType complex;

    Precision(ScalarType real, ScalarType complex) {
        this.real = real;
        this.complex = complex;
    }

    public ScalarType realType() { return real; }

    public ScalarType complexType() { return complex; }

    /** "float64" or "float32", as configurations and outputs write it. */
    public String label() { return this == DOUBLE ? "float64" : "float32"; }

    /** Parses "64", "float64", "double", "32", "float32", "float". */
    public static Precision parse(String s) {
        switch (s == null ? "" : s.trim().toLowerCase()) {
            case "64": case "float64": case "double": case "f64": return DOUBLE;
            case "32": case "float32": case "float": case "f32": return FLOAT;
            default: throw new IllegalArgumentException("precision '" + s + "': expected float64 or float32");
        }
    }

    /** The precision of a real or complex tensor's scalar type. */
    public static Precision of(ScalarType t) {
        // compare by value: enums coming back through JNI are matched on their native value
        if (t.value == ScalarType.Double.value || t.value == ScalarType.ComplexDouble.value) return DOUBLE;
        if (t.value == ScalarType.Float.value || t.value == ScalarType.ComplexFloat.value) return FLOAT;
        throw new IllegalArgumentException("dtype " + t + ": expected float64, float32, complex128 or complex64");
    }
}
