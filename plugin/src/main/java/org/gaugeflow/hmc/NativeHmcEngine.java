package org.gaugeflow.hmc;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.bindings.NativeEngineException;
import org.gaugeflow.bindings.NativeLattice;
import org.gaugeflow.bindings.NativeTrajectory;
import org.gaugeflow.field.GaugeField;

/**
 * HMC on the native C++ engine (bindings/src/main/cpp/gaugeflow_engine.h), working in place on the
 * memory of the field's CPU complex128 tensor, one chain of the batch after the other. Random numbers
 * are the engine's counter-based ones: chain b uses the key {@link #chainSeed} and trajectory k of this
 * engine uses stream k, so a run is reproducible for any thread count.
 */
public final class NativeHmcEngine implements HmcEngine {

    private final long seed;
    private long trajectories;
    private NativeLattice lattice;

    public NativeHmcEngine(long seed) {
        NativeEngine.requireAvailable();
        this.seed = seed;
    }

    @Override public String name() {
        return "native";
    }

    /** Number of trajectories run so far (the stream of the next one). */
    public long trajectoriesDone() {
        return trajectories;
    }

    /** Continues a chain: the next trajectory uses stream {@code done}. */
    public void setTrajectoriesDone(long done) {
        this.trajectories = done;
    }

    /** The trajectory counter as 8 little-endian bytes. */
    @Override public byte[] randomState() {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(trajectories).array();
    }

    @Override public void setRandomState(byte[] state) {
        if (state.length != 8) {
            throw new IllegalArgumentException("native engine state of " + state.length + " bytes: expected 8 (a trajectory counter)");
        }
        setTrajectoriesDone(java.nio.ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /** Philox key of chain b: the run's seed for chain 0, then a Weyl sequence. */
    public long chainSeed(long b) {
        return seed + b * 0x9E3779B97F4A7C15L;
    }

    private NativeLattice lattice(GaugeField f) {
        int n = f.group().n();
        int[] dims = f.lattice().extents();
        if (lattice == null || lattice.nc() != n || !java.util.Arrays.equals(lattice.dims(), dims)) {
            if (n > 3) {
                throw new IllegalArgumentException("group " + f.group() + ": the native engine supports u1, su2, su3");
            }
            lattice = new NativeLattice(n, dims);
        }
        return lattice;
    }

    @Override public Tensor randomMomenta(GaugeField field) {
        NativeLattice lat = lattice(field);
        Tensor p = torch.zeros_like(field.links());
        long stream = trajectories++;
        for (int b = 0; b < field.batch(); b++) {
            lat.randomMomenta(p, b, chainSeed(b), stream);
        }
        return p;
    }

    @Override public double[] hamiltonian(GaugeField field, Tensor momenta, double beta) {
        NativeLattice lat = lattice(field);
        double[] h = new double[(int) field.batch()];
        for (int b = 0; b < h.length; b++) {
            h[b] = lat.kinetic(momenta, b) + lat.action(field.links(), b, beta);
        }
        return h;
    }

    @Override public void integrate(GaugeField field, Tensor momenta, HmcParameters p) {
        NativeLattice lat = lattice(field);
        for (int b = 0; b < field.batch(); b++) {
            lat.integrate(field.links(), b, momenta, b, p.integrator().nativeCode(), p.beta(), p.tau(), p.steps());
        }
    }

    @Override public Trajectory[] trajectory(GaugeField field, HmcParameters p) {
        NativeLattice lat = lattice(field);
        Trajectory[] out = new Trajectory[(int) field.batch()];
        long stream = trajectories++;
        for (int b = 0; b < out.length; b++) {
            try (PointerScope scope = new PointerScope()) {
                NativeTrajectory t = lat.trajectory(field.links(), b, p.integrator().nativeCode(), p.beta(), p.tau(),
                        p.steps(), chainSeed(b), stream, null, 0);
                out[b] = new Trajectory(t.deltaH(), t.accepted(), t.plaquette());
            } catch (NativeEngineException e) {
                if (!e.nonFinite()) {
                    throw e;
                }
                out[b] = new Trajectory(Double.NaN, false, lat.plaquette(field.links(), b));
            }
        }
        return out;
    }

    /** Nothing native is held between calls (the geometry is plain Java); closing forgets it. */
    @Override public void close() {
        lattice = null;
    }
}
