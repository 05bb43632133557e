package org.gaugeflow.bindings;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The native engine bound to one geometry (group SU(nc) or U(1) for nc = 1, extents L_0..L_{d-1}),
 * working in place on the memory of CPU tensors in the batched layout of docs/conventions.md
 * ([B, d, L_{d-1}, ..., L_0, N, N], complex128, contiguous): configuration {@code b} of a batch is
 * passed by address, never copied. Every native status is checked; errors throw.
 */
public final class NativeLattice {

    private final int nc;
    private final int[] dims;
    private final long fieldDoubles;

    /** @param nc 1 for U(1), 2 or 3 for SU(N); @param dims extents L_0 (x) .. L_{d-1} */
    public NativeLattice(int nc, int... dims) {
        NativeEngine.requireAvailable();
        this.nc = nc;
        this.dims = dims.clone();
        int rc = NativeEngine.gf_check_geometry(nc, dims.length, this.dims);
        if (rc != NativeEngine.GF_OK) {
            throw new IllegalArgumentException("lattice N=" + nc + " extents " + Arrays.toString(dims) + ": "
                    + NativeEngine.gf_error_string(rc));
        }
        this.fieldDoubles = NativeEngine.gf_field_doubles(nc, dims.length, this.dims);
    }

    public int nc() {
        return nc;
    }

    public int nd() {
        return dims.length;
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Doubles of one configuration: d * V * N * N * 2. */
    public long fieldDoubles() {
        return fieldDoubles;
    }

    /** Tensor shape of a batch: [B, d, L_{d-1}, ..., L_0, N, N] (docs/conventions.md). */
    public long[] batchShape(int batch) {
        int d = dims.length;
        long[] shape = new long[d + 4];
        shape[0] = batch;
        shape[1] = d;
        for (int k = 0; k < d; k++) {
            shape[2 + k] = dims[d - 1 - k];
        }
        shape[d + 2] = nc;
        shape[d + 3] = nc;
        return shape;
    }

    private DoublePointer at(Tensor t, int b) {
        return TensorMemory.field(t, fieldDoubles, b);
    }

    private static void check(int rc, String what) {
        if (rc != NativeEngine.GF_OK) {
            throw new NativeEngineException(rc, what);
        }
    }

    /** <(1/N) Re Tr P> over sites and planes of configuration b. */
    public double plaquette(Tensor u, int b) {
        try (PointerScope scope = new PointerScope()) {
            return NativeEngine.gf_plaquette(nc, dims.length, dims, at(u, b));
        }
    }

    /** Wilson action S = -(beta/N) sum Re Tr P. */
    public double action(Tensor u, int b, double beta) {
        try (PointerScope scope = new PointerScope()) {
            return NativeEngine.gf_action(nc, dims.length, dims, beta, at(u, b));
        }
    }

    /** Kinetic energy K of momenta p (Tr P^2 per link for SU(N), P^2/2 for U(1)). */
    public double kinetic(Tensor p, int b) {
        try (PointerScope scope = new PointerScope()) {
            return NativeEngine.gf_kinetic(nc, dims.length, dims, at(p, b));
        }
    }

    /** max |U U^dag - 1| (and |det U - 1| for SU(N)) over links. */
    public double unitarityViolation(Tensor u, int b) {
        try (PointerScope scope = new PointerScope()) {
            return NativeEngine.gf_unitarity_violation(nc, dims.length, dims, at(u, b));
        }
    }

    /** f[fb] <- F(u[b]), the HMC force dP/dt. */
    public void force(Tensor u, int b, double beta, Tensor f, int fb) {
        try (PointerScope scope = new PointerScope()) {
            check(NativeEngine.gf_force(nc, dims.length, dims, beta, at(u, b), at(f, fb)), "force");
        }
    }

    /** Nominal floating-point operations of one force evaluation. */
    public double forceFlops() {
        return NativeEngine.gf_force_flops(nc, dims.length, dims);
    }

    public void unitField(Tensor u, int b) {
        try (PointerScope scope = new PointerScope()) {
            check(NativeEngine.gf_unit_field(nc, dims.length, dims, at(u, b)), "unit field");
        }
    }

    /** Haar-random links from the counter-based generator (seed, stream). */
    public void randomField(Tensor u, int b, long seed, long stream) {
        try (PointerScope scope = new PointerScope()) {
            check(NativeEngine.gf_random_field(nc, dims.length, dims, seed, stream, at(u, b)), "random field");
        }
    }

    public void reunitarize(Tensor u, int b) {
        try (PointerScope scope = new PointerScope()) {
            check(NativeEngine.gf_reunitarize(nc, dims.length, dims, at(u, b)), "reunitarize");
        }
    }

    /** Gaussian momenta in the algebra, the draw of (seed, stream). */
    public void randomMomenta(Tensor p, int b, long seed, long stream) {
        try (PointerScope scope = new PointerScope()) {
            check(NativeEngine.gf_random_momenta(nc, dims.length, dims, seed, stream, at(p, b)), "random momenta");
        }
    }

    /** Molecular dynamics in place on (u[b], p[pb]); integrator is GF_LEAPFROG or GF_OMELYAN. */
    public void integrate(Tensor u, int b, Tensor p, int pb, int integrator, double beta, double tau, int steps) {
        try (PointerScope scope = new PointerScope()) {
            check(NativeEngine.gf_integrate(nc, dims.length, dims, beta, integrator, tau, steps, at(u, b), at(p, pb)),
                    "integrate");
        }
    }

    /**
     * One HMC trajectory in place on u[b] with momenta of (seed, stream); if pOut is not null its
     * configuration pb receives the starting momenta. A non-finite Delta H throws a
     * {@link NativeEngineException} with {@code nonFinite()} and leaves u unchanged.
     */
    public NativeTrajectory trajectory(Tensor u, int b, int integrator, double beta, double tau, int steps,
                                       long seed, long stream, Tensor pOut, int pb) {
        double[] result = new double[NativeEngine.GF_RES_COUNT];
        try (PointerScope scope = new PointerScope()) {
            DoublePointer p = pOut == null ? null : at(pOut, pb);
            check(NativeEngine.gf_trajectory(nc, dims.length, dims, beta, integrator, tau, steps, seed, stream,
                    at(u, b), p, result), "trajectory");
        }
        return NativeTrajectory.of(result);
    }
}
