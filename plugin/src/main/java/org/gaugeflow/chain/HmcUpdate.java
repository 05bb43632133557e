package org.gaugeflow.chain;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.observables.Observable;
import org.gaugeflow.observables.StandardObservables;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * One HMC trajectory on the chain's state through an {@link HmcEngine} (molecular dynamics only): the
 * momenta and the Metropolis uniform come from this update's own generator, so a checkpointed generator
 * state continues the chain exactly with any engine. After an accepted trajectory the state's log q is
 * recomputed with the model's {@code logProb}, as the next flow proposal needs it.
 */
public final class HmcUpdate implements AutoCloseable {
    private final HmcEngine engine;
    private final HmcParameters params;
    private final Rng rng;
    private final Density model;
    private final FieldOptions modelOptions;
    private final WilsonAction action;
    private final List<Observable> observables;

    public HmcUpdate(HmcEngine engine, HmcParameters params, long seed, FieldOptions chainOptions, Density model,
            FieldOptions modelOptions, List<Observable> observables) {
        this.engine = engine;
        this.params = params;
        this.rng = new Rng(seed, chainOptions);
        this.model = model;
        this.modelOptions = modelOptions;
        this.action = new WilsonAction(params.beta());
        this.observables = observables;
    }

    public HmcParameters parameters() { return params; }

    public HmcEngine engine() { return engine; }

    Rng rng() { return rng; }

    public boolean step(ChainState state) {
        GaugeField field = state.field();
        boolean accept;
        try (PointerScope scope = new PointerScope()) {
            Tensor start = field.links().clone();
            Tensor momenta = field.group().randomAlgebra(rng, GaugeField.linkShape(field.lattice(), 1));
            double h0 = engine.hamiltonian(field, momenta, params.beta())[0];
            engine.integrate(field, momenta, params);
            double h1 = engine.hamiltonian(field, momenta, params.beta())[0];
            double deltaH = h1 - h0;
            double u = Tensors.item(rng.uniform(1));
            accept = Double.isFinite(deltaH) && (deltaH <= 0 || u < Math.exp(-deltaH));
            if (!accept) {
                field.links().copy_(start);
            } else {
                state.logWeight = Tensors.item(action.logWeight(field));
                state.observables = StandardObservables.measure(observables, field)[0];
                state.logQ = logQ(model, modelOptions, field);
            }
        }
        state.count(UpdateKind.HMC, accept);
        return accept;
    }

    /** log q of a configuration under the model (NaN without a model), by {@code logProb}. */
    static double logQ(Density model, FieldOptions modelOptions, GaugeField field) {
        if (model == null) return Double.NaN;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = field.links().to(modelOptions.torchDevice(), modelOptions.precision().complexType());
            return Tensors.item(model.logProb(x));
        }
    }

    /** Closes the stream and the engine (the chain owns the engine it was given). */
    @Override public void close() {
        rng.close();
        engine.close();
    }
}
