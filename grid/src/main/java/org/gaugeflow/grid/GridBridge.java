package org.gaugeflow.grid;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP bridge to Grid (github:paboyle/Grid): one static method per function of the shim's C ABI in
 * {@code grid/src/main/cpp/gaugeflow_grid.h}, which states the field layout, the mapping between our HMC
 * conventions and Grid's, the integrators and the random numbers (docs/grid.md).
 *
 * <p>The JNI library is built only when Grid is found at build time (Maven profile {@code grid}, active when
 * {@code GRID_PREFIX} is set or with {@code -Pgrid} and {@code grid-config} on PATH): the shim
 * {@code gaugeflow_grid.cc} is compiled by {@code build-shim.sh} with Grid's own flags, and the JavaCPP plugin links
 * it with this class's generated JNI code and Grid's libraries. Without it, {@link #available()} is false and
 * {@link #unavailableReason()} says how to build it. The library is used only when its {@link #gg_abi_version()}
 * equals {@link #ABI_VERSION}. Use {@link GridLattice} for checked, tensor-level access; {@link #ensureInitialized}
 * starts Grid once per process.
 */
@Platform(include = "gaugeflow_grid.h", compiler = "cpp17")
public final class GridBridge {

    /** The ABI version this class was written for: GG_ABI_VERSION of gaugeflow_grid.h. */
    public static final int ABI_VERSION = 1;

    /** The one-line reason printed when the bridge was not built (also the reason Grid tests are skipped). */
    public static final String NOT_BUILT = "Grid not found: set GRID_PREFIX or put grid-config on PATH and rebuild (docs/grid.md)";

    /** Size of Grid's communication buffer in MB ({@code --shm}); Grid's default, 1 GiB, is wasted without MPI. */
    public static final int SHM_MB = 64;

    /** Why the bridge cannot be used, or null when it can. */
    private static final String UNAVAILABLE_REASON;

    static {
        String reason;
        try {
            Loader.load();
            int found = gg_abi_version();
            reason = found == ABI_VERSION ? null
                    : "Grid bridge ABI version " + found + ", expected " + ABI_VERSION + ": rebuild with GRID_PREFIX=... mvn -B package (docs/grid.md)";
        } catch (UnsatisfiedLinkError e) {
            reason = NOT_BUILT;
        } catch (Throwable t) {
            reason = "Grid bridge did not load: " + t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        UNAVAILABLE_REASON = reason;
    }

    private static String initFailure;
    private static boolean initialized;

    private GridBridge() {
    }

    /** Whether the JNI library was built, loaded, and speaks this class's ABI version. */
    public static boolean available() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why the bridge cannot be used (not built, or another ABI version), or null. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /**
     * Starts Grid once per process ({@code Grid_init} with {@code --threads threads --shm 64 --log Error,NoMessage,NoIntegrator,NoHMC}, banner
     * discarded; never finalized); later calls set Grid's thread count to {@code threads}. Throws a one-line
     * {@link IllegalStateException} when the bridge is not available or Grid does not start.
     */
    public static synchronized void ensureInitialized(int threads) {
        if (UNAVAILABLE_REASON != null) throw new IllegalStateException("Grid bridge not available: " + UNAVAILABLE_REASON);
        if (initFailure != null) throw new IllegalStateException(initFailure);
        int n = Math.max(1, threads);
        if (initialized) {
            if (gg_threads() != n) check(gg_set_threads(n), "set Grid's threads");
            return;
        }
        int rc = gg_init(n, SHM_MB, Boolean.getBoolean("gaugeflow.grid.verbose") ? 1 : 0);
        if (rc != GG_OK) {
            initFailure = "Grid_init failed: " + gg_error_string(rc);
            throw new IllegalStateException(initFailure);
        }
        initialized = true;
    }

    /** Throws a {@link GridException} for a non-zero status. */
    static void check(int rc, String what) {
        if (rc != GG_OK) throw new GridException(rc, what);
    }

    // Status codes, integrators and result slots of gaugeflow_grid.h.
    /** Success. */
    public static final int GG_OK = 0;
    /** Grid not initialized. */
    public static final int GG_ERR_INIT = 1;
    /** Lattice not supported by Grid (not 4D, or not splittable into Grid's SIMD layout). */
    public static final int GG_ERR_GEOMETRY = 2;
    /** Invalid argument. */
    public static final int GG_ERR_ARG = 3;
    /** Non-finite result of the molecular dynamics. */
    public static final int GG_ERR_NONFINITE = 4;
    /** Out of memory. */
    public static final int GG_ERR_ALLOC = 5;
    /** A file cannot be opened or created. */
    public static final int GG_ERR_IO = 6;
    /** An unexpected C++ exception. */
    public static final int GG_ERR_INTERNAL = 7;
    /** Grid's LeapFrog. */
    public static final int GG_LEAPFROG = 0;
    /** Grid's MinimumNorm2 (Omelyan 2MN). */
    public static final int GG_OMELYAN = 1;
    /** Grid's ForceGradient. */
    public static final int GG_FORCE_GRADIENT = 2;
    /** Result slots of gg_md_trajectory. */
    public static final int GG_RES_DH = 0, GG_RES_H0 = 1, GG_RES_H1 = 2, GG_RES_PLAQUETTE = 3, GG_RES_COUNT = 4;

    public static native int gg_abi_version();

    public static native @Cast("const char*") String gg_error_string(int code);

    public static native @Cast("const char*") String gg_build_info();

    public static native int gg_init(int threads, int shmMb, int verbose);

    public static native int gg_initialized();

    public static native int gg_threads();

    public static native int gg_set_threads(int threads);

    public static native int gg_simd_lanes();

    public static native int gg_check_geometry(int nd, @Cast("const int*") int[] dims);

    public static native @Cast("int64_t") long gg_field_doubles(int nd, @Cast("const int*") int[] dims);

    public static native int gg_round_trip(int nd, @Cast("const int*") int[] dims, @Cast("const double*") DoublePointer u,
                                           DoublePointer out);

    public static native double gg_plaquette(int nd, @Cast("const int*") int[] dims, @Cast("const double*") DoublePointer u);

    public static native double gg_action(int nd, @Cast("const int*") int[] dims, double beta,
                                          @Cast("const double*") DoublePointer u);

    public static native double gg_kinetic(int nd, @Cast("const int*") int[] dims, @Cast("const double*") DoublePointer p);

    public static native int gg_force(int nd, @Cast("const int*") int[] dims, double beta, @Cast("const double*") DoublePointer u,
                                      DoublePointer f);

    public static native int gg_force_seconds(int nd, @Cast("const int*") int[] dims, double beta,
                                              @Cast("const double*") DoublePointer u, int reps, double[] bestSeconds);

    public static native int gg_random_momenta(int nd, @Cast("const int*") int[] dims, @Cast("uint64_t") long seed,
                                               @Cast("uint64_t") long stream, DoublePointer p);

    public static native int gg_integrate(int nd, @Cast("const int*") int[] dims, double beta, int integrator, double tau,
                                          int steps, DoublePointer u, DoublePointer p);

    public static native int gg_md_trajectory(int nd, @Cast("const int*") int[] dims, double beta, int integrator, double tau,
                                              int steps, @Cast("uint64_t") long seed, @Cast("uint64_t") long stream,
                                              DoublePointer u, double[] result);

    public static native int gg_ildg_write(@Cast("const char*") String path, int nd, @Cast("const int*") int[] dims,
                                           @Cast("const double*") DoublePointer u, @Cast("const char*") String lfn);

    public static native int gg_ildg_read(@Cast("const char*") String path, int nd, @Cast("const int*") int[] dims,
                                          DoublePointer out);

    public static native int gg_nersc_write(@Cast("const char*") String path, int nd, @Cast("const int*") int[] dims,
                                            @Cast("const double*") DoublePointer u, int twoRow);

    public static native int gg_nersc_read(@Cast("const char*") String path, int nd, @Cast("const int*") int[] dims,
                                           DoublePointer out);
}
