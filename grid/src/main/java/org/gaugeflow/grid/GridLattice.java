package org.gaugeflow.grid;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.ToIntFunction;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.bindings.TensorMemory;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.TorchRuntime;

/**
 * Grid bound to one 4D SU(3) lattice (extents L_0 (x) .. L_3 (t)), working on configurations of batched link
 * tensors in the layout of docs/conventions.md ([B, 4, L_3, L_2, L_1, L_0, 3, 3]): tensors of any complex precision
 * and device are converted to contiguous complex128 on the CPU at the boundary (and written back after an in-place
 * operation); a contiguous complex128 CPU tensor is passed by address without a copy. All momenta, forces, energies
 * and times are in our conventions (the shim maps them to Grid's: docs/grid.md). Every status is checked; errors
 * throw a {@link GridException} or a one-line {@link IllegalArgumentException}.
 */
public final class GridLattice {

    private final int[] dims;
    private final long fieldDoubles;

    /** @param dims the extents L_0 .. L_3; Grid is started if it was not (with gaugeflow's thread count) */
    public GridLattice(int... dims) {
        String why = unsupported(dims);
        if (why != null) throw new IllegalArgumentException(why);
        GridBridge.ensureInitialized(TorchRuntime.threads());
        this.dims = dims.clone();
        this.fieldDoubles = GridBridge.gg_field_doubles(4, this.dims);
    }

    /** @param lattice a 4D lattice */
    public GridLattice(Lattice lattice) {
        this(lattice.extents());
    }

    /**
     * Null when Grid runs this lattice, else the one-line reason (the bridge is not available; not 4D; extents that
     * Grid's SIMD layout cannot split). Does not start Grid.
     */
    public static String unsupported(int... dims) {
        if (!GridBridge.available()) return GridBridge.unavailableReason();
        if (dims == null || dims.length != 4) {
            return "lattice " + (dims == null ? "null" : dims.length + "D") + ": Grid's gauge fields are 4D (Nd = 4 is compiled into Grid)";
        }
        int rc = GridBridge.gg_check_geometry(4, dims.clone());
        if (rc != GridBridge.GG_OK) {
            return "lattice " + Arrays.toString(dims) + ": " + GridBridge.gg_error_string(rc) + " (Grid's " + GridBridge.gg_build_info() + ")";
        }
        return null;
    }

    /** The extents L_0 .. L_3. */
    public int[] dims() {
        return dims.clone();
    }

    /** Doubles of one configuration: 4 * V * 9 * 2. */
    public long fieldDoubles() {
        return fieldDoubles;
    }

    // ------------------------------------------------------------------------------------------ memory
    /**
     * Applies {@code op} to configuration b of {@code t} as complex128 CPU memory; when a converted copy had to be
     * made and {@code writeBack}, the result is copied back into {@code t}. Returns op's status, checked.
     */
    private int onMemory(Tensor t, int b, boolean writeBack, ToIntFunction<DoublePointer> op) {
        try (PointerScope scope = new PointerScope()) {
            Tensor d = t.to(FieldOptions.CPU_DOUBLE.torchDevice(), FieldOptions.CPU_DOUBLE.precision().complexType()).contiguous();
            boolean same = d.data_ptr().address() == t.data_ptr().address();
            int rc = op.applyAsInt(TensorMemory.field(d, fieldDoubles, b));
            if (writeBack && !same && rc == GridBridge.GG_OK) t.copy_(d);
            return rc;
        }
    }

    private double onMemoryDouble(Tensor t, int b, java.util.function.ToDoubleFunction<DoublePointer> op) {
        double[] r = new double[1];
        onMemory(t, b, false, p -> {
            r[0] = op.applyAsDouble(p);
            return GridBridge.GG_OK;
        });
        return r[0];
    }

    // ------------------------------------------------------------------------------------------ exchange
    /** out[ob] <- Grid's LatticeGaugeField made from u[b] and converted back (bit for bit the same). */
    public void roundTrip(Tensor u, int b, Tensor out, int ob) {
        try (PointerScope scope = new PointerScope()) {
            Tensor src = u.to(FieldOptions.CPU_DOUBLE.torchDevice(), FieldOptions.CPU_DOUBLE.precision().complexType()).contiguous();
            DoublePointer in = TensorMemory.field(src, fieldDoubles, b);
            GridBridge.check(onMemory(out, ob, true, o -> GridBridge.gg_round_trip(4, dims, in, o)), "Grid round trip");
        }
    }

    /** Grid's average plaquette (WilsonLoops::avgPlaquette) of u[b]: <(1/3) Re Tr P>. */
    public double plaquette(Tensor u, int b) {
        return onMemoryDouble(u, b, p -> GridBridge.gg_plaquette(4, dims, p));
    }

    /** Our Wilson action S = -(beta/3) sum Re Tr P of u[b], from Grid's plaquette sum. */
    public double action(Tensor u, int b, double beta) {
        return onMemoryDouble(u, b, p -> GridBridge.gg_action(4, dims, beta, p));
    }

    /** Our kinetic energy K = sum Tr P^2 of momenta p[b], computed by Grid on P_G = i sqrt(2) P. */
    public double kinetic(Tensor p, int b) {
        return onMemoryDouble(p, b, q -> GridBridge.gg_kinetic(4, dims, q));
    }

    /** f[fb] <- the HMC force F = dP/dt (our convention) that Grid's Wilson action gives for u[b]. */
    public void force(Tensor u, int b, double beta, Tensor f, int fb) {
        try (PointerScope scope = new PointerScope()) {
            Tensor src = u.to(FieldOptions.CPU_DOUBLE.torchDevice(), FieldOptions.CPU_DOUBLE.precision().complexType()).contiguous();
            DoublePointer in = TensorMemory.field(src, fieldDoubles, b);
            GridBridge.check(onMemory(f, fb, true, o -> GridBridge.gg_force(4, dims, beta, in, o)), "Grid force");
        }
    }

    /** Seconds of one Grid force evaluation on u[b] (best of {@code reps}, the field already in Grid's layout). */
    public double forceSeconds(Tensor u, int b, double beta, int reps) {
        double[] best = new double[1];
        GridBridge.check(onMemory(u, b, false, p -> GridBridge.gg_force_seconds(4, dims, beta, p, reps, best)), "Grid force timing");
        return best[0];
    }

    /** p[b] <- momenta drawn by Grid from (seed, stream), in our convention. */
    public void randomMomenta(Tensor p, int b, long seed, long stream) {
        GridBridge.check(onMemory(p, b, true, q -> GridBridge.gg_random_momenta(4, dims, seed, stream, q)), "Grid momenta");
    }

    /**
     * Molecular dynamics by Grid's integrator in place on (u[b], p[pb]) over our time tau with {@code steps} steps;
     * integrator is GridBridge.GG_LEAPFROG, GG_OMELYAN or GG_FORCE_GRADIENT.
     */
    public void integrate(Tensor u, int b, Tensor p, int pb, int integrator, double beta, double tau, int steps) {
        try (PointerScope scope = new PointerScope()) {
            Tensor pd = p.to(FieldOptions.CPU_DOUBLE.torchDevice(), FieldOptions.CPU_DOUBLE.precision().complexType()).contiguous();
            boolean same = pd.data_ptr().address() == p.data_ptr().address();
            DoublePointer pp = TensorMemory.field(pd, fieldDoubles, pb);
            GridBridge.check(onMemory(u, b, true, q -> GridBridge.gg_integrate(4, dims, beta, integrator, tau, steps, q, pp)),
                    "Grid integrate");
            if (!same) p.copy_(pd);
        }
    }

    /** The outcome of the MD part of a trajectory run by Grid (our normalization of H). */
    public record MdResult(double deltaH, double h0, double h1, double plaquette) {
    }

    /**
     * Momentum refresh (Grid's generators from (seed, stream)), H0, Grid's integrator, H1, on u[b]: u[b] becomes the
     * field at the end of the molecular dynamics (the caller keeps a copy to reject). A non-finite result throws a
     * {@link GridException} with {@link GridException#nonFinite()} and leaves u[b] unchanged.
     */
    public MdResult mdTrajectory(Tensor u, int b, int integrator, double beta, double tau, int steps, long seed, long stream) {
        double[] r = new double[GridBridge.GG_RES_COUNT];
        GridBridge.check(onMemory(u, b, true,
                q -> GridBridge.gg_md_trajectory(4, dims, beta, integrator, tau, steps, seed, stream, q, r)), "Grid trajectory");
        return new MdResult(r[GridBridge.GG_RES_DH], r[GridBridge.GG_RES_H0], r[GridBridge.GG_RES_H1], r[GridBridge.GG_RES_PLAQUETTE]);
    }

    // ------------------------------------------------------------------------------------------ files
    /**
     * Writes u[b] with Grid's ILDG writer (64-bit, Grid's record set with its ildg-data-lfn). Grid writes the file in
     * place (not atomically): this is for cross-checks, not for production output.
     */
    public void writeIldg(Path file, Tensor u, int b, String lfn) {
        GridBridge.check(onMemory(u, b, false, p -> GridBridge.gg_ildg_write(file.toString(), 4, dims, p, lfn)), "Grid ILDG write " + file);
    }

    /**
     * out[b] <- the configuration of an ILDG file read by Grid's reader (which checks the SciDAC checksum and, where
     * the file has them, plaquette and link trace). Grid stops the process on a file it rejects: read only files
     * that gaugeflow's reader accepted, with this lattice's extents.
     */
    public void readIldg(Path file, Tensor out, int b) {
        GridBridge.check(onMemory(out, b, true, p -> GridBridge.gg_ildg_read(file.toString(), 4, dims, p)), "Grid ILDG read " + file);
    }

    /** Writes u[b] with Grid's NERSC writer (IEEE64BIG; 4D_SU3_GAUGE when twoRow, else 4D_SU3_GAUGE_3x3). */
    public void writeNersc(Path file, Tensor u, int b, boolean twoRow) {
        GridBridge.check(onMemory(u, b, false, p -> GridBridge.gg_nersc_write(file.toString(), 4, dims, p, twoRow ? 1 : 0)),
                "Grid NERSC write " + file);
    }

    /**
     * out[b] <- a NERSC file read by Grid's reader (checksum, plaquette and link trace checked). As for ILDG, Grid
     * stops the process on a file it rejects: read only files that gaugeflow's reader accepted.
     */
    public void readNersc(Path file, Tensor out, int b) {
        GridBridge.check(onMemory(out, b, true, p -> GridBridge.gg_nersc_read(file.toString(), 4, dims, p)), "Grid NERSC read " + file);
    }
}
