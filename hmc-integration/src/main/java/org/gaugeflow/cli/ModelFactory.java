package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * Builds the model named by a configuration's {@code model.type}. Each model type registers one
 * builder here with one line in the static block; a builder returns a Module that is a Density over
 * gauge-field link tensors (what the trainer needs).
 */
public final class ModelFactory {

    /** Builds a model from the theory, the YAML {@code model} mapping, the options and a seeded init stream. */
    @FunctionalInterface
    public interface Builder {
        Module build(RunConfig.Theory theory, JsonNode model, FieldOptions options, Rng init);
    }

    private static final Map<String, Builder> BUILDERS = new LinkedHashMap<>();

    static {
        register("u1-flow", ModelFactory::u1Flow); // issue 5: fine-lattice U(1) flow
        register("multiscale", MultiscaleModelBuilder::build); // issue 6 (also chains/demo, issue 8): U(1) multiscale model, docs/multiscale.md
    }

    private ModelFactory() {}

    public static synchronized void register(String type, Builder builder) { BUILDERS.put(type, builder); }

    public static synchronized Module build(RunConfig.Theory theory, String type, JsonNode model, FieldOptions options, Rng init) {
        Builder b = BUILDERS.get(type);
        if (b == null) throw new IllegalArgumentException("model.type '" + type + "': expected one of " + BUILDERS.keySet());
        Module m = b.build(theory, model, options, init);
        if (!(m instanceof Density)) throw new IllegalStateException("model.type '" + type + "' built a " + m.getClass().getName() + ", not a Density");
        return m;
    }

    /** model: {type: u1-flow, layers: 16, bins: 8, hidden: [32, 32], kernel: 3}. */
    static Module u1Flow(RunConfig.Theory theory, JsonNode model, FieldOptions options, Rng init) {
        if (theory.group() != U1.INSTANCE) throw new IllegalArgumentException("theory.group '" + theory.group().name() + "': model.type u1-flow expects u1");
        return new U1FineLatticeFlow(theory.lattice(), new U1FineLatticeFlow.Architecture(
                intOf(model, "layers", 16), intOf(model, "bins", 8), intsOf(model, "hidden", new int[] {32, 32}),
                intOf(model, "kernel", 3)), options, init);
    }

    /** An integer key of the model mapping, with a default. */
    public static int intOf(JsonNode model, String key, int dflt) {
        JsonNode v = model.get(key);
        if (v == null) return dflt;
        if (!v.isIntegralNumber()) throw new IllegalArgumentException("model." + key + " = '" + v.asText() + "': expected an integer");
        return v.asInt();
    }

    /** A list-of-integers key of the model mapping, with a default. */
    public static int[] intsOf(JsonNode model, String key, int[] dflt) {
        JsonNode v = model.get(key);
        if (v == null) return dflt;
        if (!v.isArray()) throw new IllegalArgumentException("model." + key + " = '" + v.asText() + "': expected a list of integers");
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isIntegralNumber()) throw new IllegalArgumentException("model." + key + "[" + i + "] = '" + v.get(i).asText() + "': expected an integer");
            out[i] = v.get(i).asInt();
        }
        return out;
    }

    /** A number key of the model mapping, with a default. */
    public static double doubleOf(JsonNode model, String key, double dflt) {
        JsonNode v = model.get(key);
        if (v == null) return dflt;
        if (!v.isNumber()) throw new IllegalArgumentException("model." + key + " = '" + v.asText() + "': expected a number");
        return v.asDouble();
    }
}
