package org.gaugeflow.experiments;

import java.io.IOException;
import java.nio.file.Path;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;

/**
 * The model of {@code gaugeflow demo}: a small U(1) multiscale model (Haar 2x2 coarse prior, doubling layers with
 * heatbath staple-conditional densities, no loop couplings or fine flow: four trainable numbers per doubling
 * layer) trained by reverse KL. Small enough to train in seconds, good enough to propose in a hybrid chain.
 */
public final class Demo {
    /** The coarse lattice of the demo's model. */
    public static final Lattice COARSE = Lattice.parse("2x2");

    private Demo() {}

    /** The training configuration of the demo's model (docs/training.md format). */
    public static RunConfig trainingConfig(Lattice lattice, double beta, long steps, long seed) {
        String yaml = String.join("\n",
                "# gaugeflow demo: a small multiscale U(1) model (docs/multiscale.md)",
                "theory:", "  group: u1", "  lattice: " + lattice, "  beta: " + beta,
                "model:", "  type: multiscale", "  coarse: " + COARSE, "  scm_layers: 0", "  fine_layers: 0",
                "  beta_tilde: 1.0",
                "training:", "  batch: 64", "  steps: " + steps, "  lr: 0.02", "  schedule: constant",
                "  seed: " + seed, "  precision: float64", "  device: cpu", "  metrics_interval: 10",
                "  checkpoint_interval: " + Math.max(1, steps), "  eval_samples: 1024", "  eval_batch: 256", "");
        return RunConfig.parse(yaml, "demo");
    }

    /**
     * Trains the demo's model into the run folder {@code dir} (a new folder; {@code listener} may be null) and loads
     * it back as a proposal.
     */
    public static TrainedModel trainModel(Path dir, Lattice lattice, double beta, long steps, long seed,
            TrainingRun.Listener listener) throws IOException {
        try (TrainingRun run = TrainingRun.start(trainingConfig(lattice, beta, steps, seed), dir)) {
            run.train(listener);
            run.finish();
        }
        return TrainedModel.load(dir);
    }
}
