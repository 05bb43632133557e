package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The {@code model.type: sun-multiscale} and {@code sun-flow} builders of {@link ModelFactory} (issue 7, docs/su3.md):
 * the SU(N) multiscale model (Haar coarse prior, doubling layers with SUNStapleConditionalModels, optional
 * fine-lattice flow on top) and the SU(N) fine-lattice flow alone. Network weights are drawn from torch's
 * generator seeded with the init stream's seed.
 */
final class SUNModelBuilder {
    private static final Set<String> MULTISCALE_KEYS = Set.of("type", "coarse", "scm_iterations", "hidden", "bins",
            "init_scale", "fine_iterations");
    private static final Set<String> FLOW_KEYS = Set.of("type", "iterations", "hidden", "bins", "init_scale");

    private SUNModelBuilder() {}

    /** model: {type: sun-multiscale, coarse: 2x2, scm_iterations: 2, hidden: [16, 16], bins: 8, init_scale: 0, fine_iterations: 1}. */
    static Module multiscale(RunConfig.Theory theory, JsonNode model, FieldOptions options, Rng init) {
        SUN g = group(theory, "sun-multiscale");
        checkKeys(model, MULTISCALE_KEYS);
        JsonNode c = model.get("coarse");
        Lattice coarse = Lattice.parse(c == null ? "2x2" : c.asText());
        int[] hidden = ModelFactory.intsOf(model, "hidden", new int[] {16, 16});
        int bins = ModelFactory.intOf(model, "bins", 8);
        double scale = ModelFactory.doubleOf(model, "init_scale", 0.0);
        int fine = ModelFactory.intOf(model, "fine_iterations", 1);
        torch.manual_seed(init.seed());
        return SUNModels.multiscale(g, coarse, theory.lattice(), new SUNModels.Spec(ModelFactory.intOf(model, "scm_iterations", 2),
                hidden, bins, scale, fine > 0 ? new SUNFineLatticeFlow.Architecture(fine, hidden, bins, scale) : null), options);
    }

    /** model: {type: sun-flow, iterations: 1, hidden: [16, 16], bins: 8, init_scale: 0}. */
    static Module flow(RunConfig.Theory theory, JsonNode model, FieldOptions options, Rng init) {
        SUN g = group(theory, "sun-flow");
        checkKeys(model, FLOW_KEYS);
        torch.manual_seed(init.seed());
        return SUNModels.fineFlow(g, theory.lattice(), new SUNFineLatticeFlow.Architecture(ModelFactory.intOf(model, "iterations", 1),
                ModelFactory.intsOf(model, "hidden", new int[] {16, 16}), ModelFactory.intOf(model, "bins", 8),
                ModelFactory.doubleOf(model, "init_scale", 0.0)), options);
    }

    private static SUN group(RunConfig.Theory theory, String type) {
        if (!(theory.group() instanceof SUN g)) {
            throw new IllegalArgumentException("theory.group '" + theory.group().name() + "': model.type " + type
                    + " expects su2, su3, ...");
        }
        return g;
    }

    private static void checkKeys(JsonNode model, Set<String> allowed) {
        for (Iterator<String> it = model.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) throw new IllegalArgumentException("model." + k + ": unknown key; expected one of " + allowed);
        }
    }
}
