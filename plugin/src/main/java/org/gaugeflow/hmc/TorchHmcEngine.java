package org.gaugeflow.hmc;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * HMC on LibTorch tensors, batched over independent chains, on the device of the field (CPU or CUDA).
 * Momenta come from GaugeGroup.randomAlgebra and the Metropolis uniforms from the same seeded
 * {@link Rng}; the accept/reject is a select on the device, and only B numbers per trajectory
 * (Delta H, decision, plaquette) are copied to the host.
 */
public final class TorchHmcEngine implements HmcEngine {

    private final Rng rng;

    /** @param options the device and precision of the fields this engine will update */
    public TorchHmcEngine(long seed, FieldOptions options) {
        this.rng = new Rng(seed, options);
    }

    @Override public String name() {
        return "torch";
    }

    /** HMC runs in float64 (docs/architecture.md: every exactness test runs in float64). */
    private static void requireDouble(GaugeField field) {
        if (field.precision() != org.gaugeflow.tensor.Precision.DOUBLE) {
            throw new IllegalArgumentException("field precision " + field.precision() + ": HMC expects float64 (complex128)");
        }
    }

    @Override public Tensor randomMomenta(GaugeField field) {
        requireDouble(field);
        return field.group().randomAlgebra(rng, GaugeField.linkShape(field.lattice(), field.batch()));
    }

    /** H per chain as a tensor [B] on the field's device. */
    static Tensor hamiltonianTensor(GaugeField field, Tensor momenta, double beta) {
        Tensor k = field.group().algebraNormSquaredHalf(momenta).flatten(1, -1).sum(1);
        return k.add(new WilsonAction(beta).action(field));
    }

    @Override public double[] hamiltonian(GaugeField field, Tensor momenta, double beta) {
        try (PointerScope scope = new PointerScope()) {
            return Tensors.toArray(hamiltonianTensor(field, momenta, beta));
        }
    }

    @Override public void integrate(GaugeField field, Tensor momenta, HmcParameters params) {
        requireDouble(field);
        TorchMolecularDynamics.integrate(field, momenta, params);
    }

    @Override public Trajectory[] trajectory(GaugeField field, HmcParameters params) {
        try (PointerScope scope = new PointerScope()) {
            Tensor start = field.links().clone();
            Tensor p = randomMomenta(field);
            Tensor h0 = hamiltonianTensor(field, p, params.beta());
            TorchMolecularDynamics.integrate(field, p, params);
            Tensor dh = hamiltonianTensor(field, p, params.beta()).sub(h0);
            Tensor uniform = rng.uniform(field.batch());
            // Metropolis: accept with probability min(1, exp(-dH)); a NaN Delta H is never accepted
            Tensor accept = dh.le(new Scalar(0.0)).logical_or(uniform.lt(dh.neg().exp()));
            long[] shape = new long[(int) field.links().dim()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = field.batch();
            field.links().copy_(field.links().where(accept.reshape(shape), start));
            double[] dH = Tensors.toArray(dh);
            double[] acc = Tensors.toArray(accept);
            double[] plaq = Tensors.toArray(WilsonAction.averagePlaquette(field));
            Trajectory[] out = new Trajectory[dH.length];
            for (int b = 0; b < out.length; b++) {
                out[b] = new Trajectory(dH[b], acc[b] != 0.0, plaq[b]);
            }
            return out;
        }
    }

    /** The generator's state. */
    @Override public byte[] randomState() {
        return rng.stateBytes();
    }

    @Override public void setRandomState(byte[] state) {
        rng.setStateBytes(state);
    }

    @Override public void close() {
        rng.close();
    }
}
