package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.group.U1;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The {@code model.type: multiscale} builder of {@link ModelFactory} (issue 6): the U(1) multiscale model of
 * Sec. 3 from the YAML {@code model} mapping (keys in docs/multiscale.md), on the theory's lattice.
 */
final class MultiscaleModelBuilder {
    private MultiscaleModelBuilder() {}

    @SuppressWarnings("unchecked")
    static Module build(RunConfig.Theory theory, JsonNode model, FieldOptions options, Rng init) {
        if (theory.group() != U1.INSTANCE) {
            throw new IllegalArgumentException("theory.group '" + theory.group().name()
                    + "': model.type multiscale is implemented for u1");
        }
        Map<String, Object> keys = new ObjectMapper().convertValue(model, Map.class);
        keys.remove("type");
        return U1Models.fromConfig(keys, theory.lattice(), options, init);
    }
}
