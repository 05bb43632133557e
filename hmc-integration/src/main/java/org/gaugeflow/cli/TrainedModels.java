package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gaugeflow.tensor.FieldOptions;

/**
 * Loads a trained model folder: DIR/model.json names the architecture. Known: the demo's
 * {@link HeatbathMultiscale} ("multiscale-u1-heatbath"). Models of {@code gaugeflow train} are added here
 * when the flows module's model factory is merged.
 */
final class TrainedModels {
    private TrainedModels() {}

    static ProposalModels.Loaded load(Path dir, FieldOptions options, String checksum) throws IOException {
        if (HeatbathMultiscale.isOne(dir)) return HeatbathMultiscale.load(dir, options, checksum);
        throw new IllegalArgumentException("model " + dir + ": no model.json of a known type; expected a folder "
                + "written by gaugeflow demo (multiscale-u1-heatbath)");
    }
}
