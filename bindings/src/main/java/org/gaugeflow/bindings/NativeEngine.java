package org.gaugeflow.bindings;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP bridge to the native HMC engine: one static method per function of the C ABI in
 * {@code bindings/src/main/cpp/gaugeflow_engine.h}, which states the field layout, the action, the
 * force, the integrators and the random numbers (they follow docs/conventions.md).
 *
 * <p>The library is compiled from source by the JavaCPP Maven plugin in {@code process-classes}.
 * Pointers are passed as {@link DoublePointer}s: the engine works on the memory they address (for a
 * tensor, {@link TensorMemory#field}), without copying. Use {@link NativeLattice} for checked access.
 *
 * <p>No C++ exception reaches Java: status functions return a {@code GF_ERR_*} code
 * ({@link #GF_ERR_ALLOC} for memory, {@link #GF_ERR_INTERNAL} for any other exception),
 * double-valued ones NaN. The library is used only when its {@link #gf_abi_version()} equals
 * {@link #ABI_VERSION}.
 */
@Platform(include = {"gaugeflow_engine.h", "gaugeflow_engine.cpp"}, compiler = "cpp17", link = "gomp")
public final class NativeEngine {

    /**
     * The ABI version this class was written for: GF_ABI_VERSION of gaugeflow_engine.h. A library
     * built from another version of the header is not used ({@link #available()} is false).
     */
    public static final int ABI_VERSION = 2;

    /** Why the engine cannot be used, or null when it can. */
    private static final String UNAVAILABLE_REASON;

    static {
        String reason;
        try {
            Loader.load();
            reason = abiMismatch(gf_abi_version(), ABI_VERSION);
        } catch (Throwable t) {
            reason = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        UNAVAILABLE_REASON = reason;
    }

    private NativeEngine() {
    }

    /**
     * The reason a library of ABI version {@code found} cannot serve callers of version
     * {@code expected}, or null when the versions agree.
     */
    static String abiMismatch(int found, int expected) {
        return found == expected ? null
                : "native engine ABI version " + found + ", expected " + expected + ": rebuild with mvn -B package";
    }

    /**
     * Whether the native library loaded and speaks this class's ABI version (the CLI {@code info}
     * command prints this).
     */
    public static boolean available() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why the native library cannot be used (did not load, or has another ABI version), or null. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /** Throws a clear error when the library is not available. */
    public static void requireAvailable() {
        if (UNAVAILABLE_REASON != null) {
            throw new IllegalStateException("native engine not available: " + UNAVAILABLE_REASON);
        }
    }

    // Error codes and enums of gaugeflow_engine.h.
    public static final int GF_OK = 0, GF_ERR_GROUP = 1, GF_ERR_DIM = 2, GF_ERR_EXTENT = 3,
            GF_ERR_ARG = 4, GF_ERR_NONFINITE = 5, GF_ERR_ALLOC = 6, GF_ERR_INTERNAL = 7;
    public static final int GF_LEAPFROG = 0, GF_OMELYAN = 1;
    public static final int GF_RES_DH = 0, GF_RES_ACCEPTED = 1, GF_RES_PLAQUETTE = 2, GF_RES_H0 = 3,
            GF_RES_H1 = 4, GF_RES_UNIFORM = 5, GF_RES_COUNT = 6;

    public static native int gf_abi_version();

    public static native @Cast("const char*") String gf_error_string(int code);

    public static native int gf_max_threads();

    public static native void gf_set_threads(int nthreads);

    public static native int gf_check_geometry(int nc, int nd, @Cast("const int*") int[] dims);

    public static native @Cast("int64_t") long gf_field_doubles(int nc, int nd, @Cast("const int*") int[] dims);

    public static native double gf_plaquette(int nc, int nd, @Cast("const int*") int[] dims,
                                             @Cast("const double*") DoublePointer u);

    public static native double gf_action(int nc, int nd, @Cast("const int*") int[] dims, double beta,
                                          @Cast("const double*") DoublePointer u);

    public static native double gf_kinetic(int nc, int nd, @Cast("const int*") int[] dims,
                                           @Cast("const double*") DoublePointer p);

    public static native double gf_unitarity_violation(int nc, int nd, @Cast("const int*") int[] dims,
                                                       @Cast("const double*") DoublePointer u);

    public static native int gf_force(int nc, int nd, @Cast("const int*") int[] dims, double beta,
                                      @Cast("const double*") DoublePointer u, DoublePointer f);

    public static native double gf_force_flops(int nc, int nd, @Cast("const int*") int[] dims);

    public static native int gf_unit_field(int nc, int nd, @Cast("const int*") int[] dims, DoublePointer u);

    public static native int gf_random_field(int nc, int nd, @Cast("const int*") int[] dims,
                                             @Cast("uint64_t") long seed, @Cast("uint64_t") long stream,
                                             DoublePointer u);

    public static native int gf_reunitarize(int nc, int nd, @Cast("const int*") int[] dims, DoublePointer u);

    public static native int gf_random_momenta(int nc, int nd, @Cast("const int*") int[] dims,
                                               @Cast("uint64_t") long seed, @Cast("uint64_t") long stream,
                                               DoublePointer p);

    public static native int gf_integrate(int nc, int nd, @Cast("const int*") int[] dims, double beta,
                                          int integrator, double tau, int steps, DoublePointer u,
                                          DoublePointer p);

    public static native int gf_trajectory(int nc, int nd, @Cast("const int*") int[] dims, double beta,
                                           int integrator, double tau, int steps,
                                           @Cast("uint64_t") long seed, @Cast("uint64_t") long stream,
                                           DoublePointer u, DoublePointer pOut, double[] result);

    public static native void gf_copy(DoublePointer dst, @Cast("const double*") DoublePointer src,
                                      @Cast("int64_t") long n);
}
