package org.gaugeflow.model;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * One kind of model a configuration can name in {@code model.type}: the keys its YAML section may hold and how it
 * is built. Registered in {@link ModelRegistry}; every built model is a LibTorch {@link Module} (its parameters
 * are trained) and a {@link org.gaugeflow.flow.Density} over the theory's link tensors.
 */
public interface ModelType {

    /** The {@code model.type} value. */
    String name();

    /** The keys of its section besides {@code type}; any other key is rejected before building. */
    List<String> keys();

    /**
     * Builds the model for {@code theory} from its section; all network weights come from {@code init}
     * ({@link org.gaugeflow.flow.WeightInit}). Construct outside any PointerScope (the model owns its parameters).
     */
    Module build(Theory theory, ConfigSection model, FieldOptions options, Rng init);

    /**
     * The size of the model this section describes, from its keys alone (nothing is built), for the memory estimate
     * ({@link ModelFootprint}). Types that do not say get {@link ModelFootprint#generic}.
     */
    default ModelFootprint footprint(Theory theory, ConfigSection model) {
        return ModelFootprint.generic(theory.lattice().dims(), theory.group().n());
    }
}
