package org.gaugeflow.hmc;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;

/**
 * Pure-gauge HMC with the Wilson action (docs/conventions.md, "HMC"). Implementations: the native
 * C++ engine ({@link NativeHmcEngine}), LibTorch tensors ({@link TorchHmcEngine}) and, from the module
 * {@code grid} through {@link HmcEngineProvider}, Grid (docs/grid.md), created by name through {@link HmcEngines}. Fields are batches of independent chains and are updated in place; momenta
 * are Hermitian matrices in the field's layout. Given the same field and momenta, engines agree.
 * An engine holds native resources (generators, geometry): whoever creates it closes it, and a chain that is
 * given an engine owns it from then on.
 */
public interface HmcEngine extends AutoCloseable {

    /** "native", "torch", ... */
    String name();

    /** Gaussian momenta (pi_a ~ N(0,1) in the algebra) for every chain, from the engine's seeded generator. */
    Tensor randomMomenta(GaugeField field);

    /** H = K + S per chain: K = sum Tr P^2 (SU(N)) or (1/2) sum P^2 (U(1)), S the Wilson action. */
    double[] hamiltonian(GaugeField field, Tensor momenta, double beta);

    /** Molecular dynamics over tau, in place on field and momenta (deterministic: no random numbers). */
    void integrate(GaugeField field, Tensor momenta, HmcParameters params);

    /**
     * One trajectory for every chain, in place: momentum refresh, molecular dynamics, Metropolis.
     * A chain whose Delta H is not finite is rejected and reported with deltaH NaN or infinite.
     */
    Trajectory[] trajectory(GaugeField field, HmcParameters params);

    /**
     * How the engine derives its random numbers from its seed, for the provenance of a run (summary.json); null when
     * the engine does not say (the built-in engines are described by {@link HmcProduction} itself).
     */
    default String seedDescription() {
        return null;
    }

    /**
     * Where the engine's random numbers stand, as bytes for a checkpoint: the native engine's trajectory counter
     * (its next Philox stream), the LibTorch engine's generator state. Engines that cannot say throw
     * {@link UnsupportedOperationException} (their runs cannot be resumed).
     */
    default byte[] randomState() {
        throw new UnsupportedOperationException("engine " + name() + ": cannot save its random-number state");
    }

    /** Continues the random numbers from {@link #randomState} (an engine of the same kind and seed). */
    default void setRandomState(byte[] state) {
        throw new UnsupportedOperationException("engine " + name() + ": cannot restore its random-number state");
    }

    /** Releases the engine's native resources; the engine is not used afterwards. */
    @Override void close();
}
