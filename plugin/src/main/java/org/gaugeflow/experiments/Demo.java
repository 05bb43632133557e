package org.gaugeflow.experiments;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.gaugeflow.io.RunFolder;
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

    /** The subfolders of the demo's output: the trained model and the chain. */
    public static final String MODEL = "model";
    /** The chain's run folder inside the demo's output. */
    public static final String CHAIN = "chain";

    /**
     * Opens the demo's output folder {@code out} as a {@link RunFolder} held for the whole demo (its {@code run.json}
     * records the demo's settings). An earlier demo's output there is replaced, as the demo always did; a folder that
     * holds anything else is refused, so the demo never deletes files it did not write. The model and the chain are
     * run folders of their own inside it ({@value #MODEL}, {@value #CHAIN}).
     */
    public static RunFolder openOutput(Path out, Lattice lattice, double beta, long trainSteps, long updates, long seed)
            throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("lattice", lattice.toString());
        c.put("beta", beta);
        c.put("train_steps", trainSteps);
        c.put("n", updates);
        c.put("seed", seed);
        boolean earlier = earlierDemo(out);
        if (!earlier && Files.isDirectory(out)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(out, p -> !p.getFileName().toString().equals(RunFolder.LOCK))) {
                java.util.Iterator<Path> it = s.iterator();
                if (it.hasNext()) {
                    throw new IllegalArgumentException("out " + out + ": holds files that are not an earlier demo's ("
                            + it.next().getFileName() + (it.hasNext() ? ", ..." : "") + "); expected a new or empty folder, or one"
                            + " an earlier demo wrote (the demo replaces only those)");
                }
            }
        }
        RunFolder.Mode mode = earlier ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW;
        return RunFolder.open(out, new RunFolder.Request("demo", c, Map.of("seed", seed), mode, Set.of()));
    }

    /** Whether {@code out} holds the output of an earlier demo (its run.json says so, or, from before run.json, only model/ and chain/). */
    static boolean earlierDemo(Path out) throws IOException {
        if (!Files.isDirectory(out)) return false;
        var record = RunFolder.readRecord(out);
        if (record.isPresent()) return record.get().path("command").asText().equals("demo");
        boolean any = false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(out)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (n.equals(RunFolder.LOCK)) continue;
                if (!(n.equals(MODEL) || n.equals(CHAIN)) || !Files.isDirectory(p)) return false;
                any = true;
            }
        }
        return any;
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
