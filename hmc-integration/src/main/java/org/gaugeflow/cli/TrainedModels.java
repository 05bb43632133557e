package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.ensemble.ModelChecksum;
import org.gaugeflow.flow.Density;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.training.Checkpoint;

/**
 * Loads a run folder of {@code gaugeflow train --out DIR} (docs/training.md): the model is rebuilt from
 * DIR/config.yaml through {@link ModelFactory} (any registered type) and its weights are read from
 * DIR/checkpoint.pt. The model checksum is the SHA-256 of config.yaml and checkpoint.pt.
 */
public final class TrainedModels {
    static final String CONFIG = "config.yaml";

    private TrainedModels() {}

    public static ProposalModels.Loaded load(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(CONFIG)) || !Files.isRegularFile(dir.resolve(Checkpoint.ARCHIVE))) {
            throw new IllegalArgumentException("model " + dir + ": " + CONFIG + " or " + Checkpoint.ARCHIVE
                    + " missing; expected a folder written by 'gaugeflow train --out DIR'");
        }
        String checksum = ModelChecksum.sha256(dir, List.of(CONFIG, Checkpoint.ARCHIVE));
        RunConfig cfg = RunConfig.load(dir.resolve(CONFIG));
        RunConfig.Theory th = cfg.theory();
        Module model;
        try (Rng init = new Rng(cfg.training().seed() + 1, cfg.training().options())) {
            model = ModelFactory.build(th, cfg.modelType(), cfg.model(), cfg.training().options(), init);
        }
        Checkpoint.loadModel(dir, model);
        return new ProposalModels.Loaded((Density) model, cfg.training().options(), th.group(), th.lattice(), th.beta(),
                checksum, dir.toString());
    }
}
