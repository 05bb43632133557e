package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gaugeflow.tensor.FieldOptions;

/** Loads a model folder written by {@code gaugeflow train --out DIR} (the flows module's checkpoint format). */
final class TrainedModels {
    private TrainedModels() {}

    static ProposalModels.Loaded load(Path dir, FieldOptions options, String checksum) throws IOException {
        throw new IllegalArgumentException("model " + dir + ": reading trained-model folders needs the trainer's "
                + "checkpoint format, which this build does not have yet; expected --model haar");
    }
}
