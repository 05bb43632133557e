package org.gaugeflow.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.Density;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The model types a configuration can name in {@code model.type}, and the one way models are built from a
 * configuration: the section's keys are checked against the type's keys (an unknown key is a one-line error that
 * lists the allowed ones, for every type), then the type builds the model with weights from an explicit
 * {@link Rng}. Built in: {@code u1-flow}, {@code multiscale} (U(1)), {@code sun-flow}, {@code sun-multiscale}
 * (docs/training.md, docs/multiscale.md, docs/su3.md). Further types can be registered by a pipeline.
 */
public final class ModelRegistry {
    private static final Map<String, ModelType> TYPES = new LinkedHashMap<>();

    static {
        register(new U1FlowType());
        register(new U1MultiscaleType());
        register(new SUNFlowType());
        register(new SUNMultiscaleType());
    }

    private ModelRegistry() {}

    /** Adds (or replaces) a model type. */
    public static synchronized void register(ModelType type) { TYPES.put(type.name(), type); }

    /** The registered type names. */
    public static synchronized Set<String> types() { return Set.copyOf(TYPES.keySet()); }

    /** The type named {@code name}, or a one-line error listing the known ones. */
    public static synchronized ModelType type(String name) {
        ModelType t = TYPES.get(name);
        if (t == null) throw new IllegalArgumentException("model.type '" + name + "': expected one of " + TYPES.keySet());
        return t;
    }

    /**
     * The size of the model that the {@code model} section describes, from its keys alone (nothing is built), for the
     * memory estimate; the keys are checked as for {@link #build}.
     */
    public static ModelFootprint footprint(Theory theory, ConfigSection model) {
        ModelType t = type(model.text("type"));
        List<String> allowed = new ArrayList<>();
        allowed.add("type");
        allowed.addAll(t.keys());
        model.allowOnly(allowed);
        try {
            return t.footprint(theory, model);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("config ") ? e : model.error(e.getMessage());
        }
    }

    /**
     * Builds the model that the {@code model} section describes (its {@code type} key names the type) for
     * {@code theory}, with weights drawn from {@code init}.
     */
    public static Module build(Theory theory, ConfigSection model, FieldOptions options, Rng init) {
        ModelType t = type(model.text("type"));
        List<String> allowed = new ArrayList<>();
        allowed.add("type");
        allowed.addAll(t.keys());
        model.allowOnly(allowed);
        Module m;
        try {
            m = t.build(theory, model, options, init);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("config ") ? e : model.error(e.getMessage());
        }
        if (!(m instanceof Density)) throw new IllegalStateException("model.type '" + t.name() + "' built a " + m.getClass().getName() + ", not a Density");
        return m;
    }
}
