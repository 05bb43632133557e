package org.gaugeflow.grid;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.Trajectory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.tensor.TorchRuntime;

/**
 * HMC whose trajectories run in Grid (docs/grid.md): Grid's Wilson gauge action and its integrators (LeapFrog,
 * MinimumNorm2 = Omelyan 2MN, ForceGradient) over tau with the given steps, Grid's momentum refresh from its own
 * generators, seeded for chain b and trajectory k by (chain key, k) as the native engine's streams. The accept/reject
 * step stays in gaugeflow: a uniform from this engine's LibTorch generator (seeded with the seed), the field restored
 * on a reject. For {@link #hamiltonian} and {@link #integrate}, which the hybrid chains call with their own momenta,
 * our momenta are converted to Grid's convention (P_G = i sqrt(2) P, Grid's time = ours / sqrt 2), so Grid integrates
 * exactly the dynamics the native engine integrates. SU(3) in 4D on the CPU only; fields of any precision are
 * converted to complex128 at the boundary.
 */
public final class GridHmcEngine implements HmcEngine {

    private final long seed;
    private final Rng rng;
    private long trajectories;
    private GridLattice lattice;

    /** @param seed seed of Grid's momenta and of the Metropolis uniforms */
    public GridHmcEngine(long seed) {
        GridBridge.ensureInitialized(TorchRuntime.threads());
        this.seed = seed;
        this.rng = new Rng(seed, FieldOptions.CPU_DOUBLE);
    }

    @Override public String name() {
        return "grid";
    }

    /** The shim's code of an integrator. */
    static int code(Integrator integrator) {
        return switch (integrator) {
            case LEAPFROG -> GridBridge.GG_LEAPFROG;
            case OMELYAN -> GridBridge.GG_OMELYAN;
            case FORCE_GRADIENT -> GridBridge.GG_FORCE_GRADIENT;
        };
    }

    /** Grid's generator key of chain b: the seed for chain 0, then a Weyl sequence (as the native engine). */
    public long chainSeed(long b) {
        return seed + b * 0x9E3779B97F4A7C15L;
    }

    /** Trajectories run so far (the stream of the next one). */
    public long trajectoriesDone() {
        return trajectories;
    }

    /** Null when Grid can run {@code group} on this lattice, else the one-line reason. */
    static String unsupported(GaugeGroup group, int[] extents) {
        if (group != null && group.n() != 3) return "it supports su3 only (Grid is compiled with Nc = 3), not " + group.name();
        return extents == null ? null : GridLattice.unsupported(extents);
    }

    private GridLattice lattice(GaugeField f) {
        int[] dims = f.lattice().extents();
        if (lattice == null || !Arrays.equals(lattice.dims(), dims)) {
            String why = unsupported(f.group(), dims);
            if (why != null) throw new IllegalArgumentException("engine grid: " + why);
            lattice = new GridLattice(dims);
        }
        return lattice;
    }

    /** Momenta drawn by Grid for every chain (stream = the next trajectory index), in our convention. */
    @Override public Tensor randomMomenta(GaugeField field) {
        GridLattice lat = lattice(field);
        Tensor p = torch.zeros_like(field.links());
        long stream = trajectories++;
        for (int b = 0; b < field.batch(); b++) lat.randomMomenta(p, b, chainSeed(b), stream);
        return p;
    }

    /** H = K + S per chain, both computed by Grid (our normalization). */
    @Override public double[] hamiltonian(GaugeField field, Tensor momenta, double beta) {
        GridLattice lat = lattice(field);
        double[] h = new double[(int) field.batch()];
        for (int b = 0; b < h.length; b++) h[b] = lat.kinetic(momenta, b) + lat.action(field.links(), b, beta);
        return h;
    }

    @Override public void integrate(GaugeField field, Tensor momenta, HmcParameters p) {
        GridLattice lat = lattice(field);
        for (int b = 0; b < field.batch(); b++) {
            lat.integrate(field.links(), b, momenta, b, code(p.integrator()), p.beta(), p.tau(), p.steps());
        }
    }

    /**
     * One trajectory per chain: Grid refreshes the momenta and integrates (GridLattice#mdTrajectory); the Metropolis
     * step uses this engine's uniform; on a reject or a non-finite Delta H the chain's field is restored.
     */
    @Override public Trajectory[] trajectory(GaugeField field, HmcParameters p) {
        GridLattice lat = lattice(field);
        Trajectory[] out = new Trajectory[(int) field.batch()];
        long stream = trajectories++;
        try (PointerScope scope = new PointerScope()) {
            Tensor start = field.links().clone();
            double[] u = Tensors.toArray(rng.uniform(field.batch()));
            for (int b = 0; b < out.length; b++) {
                double dh;
                double plaquette;
                try {
                    GridLattice.MdResult r = lat.mdTrajectory(field.links(), b, code(p.integrator()), p.beta(), p.tau(), p.steps(),
                            chainSeed(b), stream);
                    dh = r.deltaH();
                    plaquette = r.plaquette();
                } catch (GridException e) {
                    if (!e.nonFinite()) throw e;
                    dh = Double.NaN;
                    plaquette = Double.NaN;
                }
                boolean accept = Double.isFinite(dh) && (dh <= 0 || u[b] < Math.exp(-dh));
                if (!accept) {
                    field.links().select(0, b).copy_(start.select(0, b));
                    plaquette = lat.plaquette(field.links(), b);
                }
                out[b] = new Trajectory(dh, accept, plaquette);
            }
        }
        return out;
    }

    @Override public String seedDescription() {
        return "Grid's parallel and serial generators (sitmo) seeded for chain b and trajectory k with SeedFixedIntegers("
                + "key_b, k), key_b = seed + b * 0x9E3779B97F4A7C15; Metropolis uniforms from a LibTorch generator seeded with seed";
    }

    /** The trajectory counter (Grid's next stream, 8 bytes little-endian) followed by the Metropolis generator's state. */
    @Override public byte[] randomState() {
        byte[] g = rng.stateBytes();
        return java.nio.ByteBuffer.allocate(8 + g.length).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(trajectories).put(g).array();
    }

    @Override public void setRandomState(byte[] state) {
        if (state.length <= 8) {
            throw new IllegalArgumentException("grid engine state of " + state.length
                    + " bytes: expected a trajectory counter and a generator state");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        trajectories = b.getLong();
        byte[] g = new byte[state.length - 8];
        b.get(g);
        rng.setStateBytes(g);
    }

    /** Releases the generator; Grid itself stays initialized for the process. */
    @Override public void close() {
        rng.close();
        lattice = null;
    }
}
