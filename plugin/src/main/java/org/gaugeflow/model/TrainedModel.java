package org.gaugeflow.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.training.Checkpoint;
import org.gaugeflow.training.RunConfig;

/**
 * A model ready to propose configurations: a trained run folder loaded back ({@link #load}), or the Haar measure
 * ({@link #haar}). A run folder of {@code gaugeflow train --out DIR} (or of {@link org.gaugeflow.training.TrainingRun})
 * holds {@code config.yaml} and {@code checkpoint.pt}: the model is rebuilt from the configuration through the
 * {@link ModelRegistry} and its weights are read from best.pt (the best model by the held-out estimate) or
 * checkpoint.pt (the last). The checksum (SHA-256 of config.yaml and the weights file) names the exact model in the
 * provenance of every configuration it proposes.
 *
 * @param density  the model's density (a {@link Module} too, for trained models)
 * @param options  device and precision of its samples
 * @param group    its gauge group
 * @param lattice  its lattice
 * @param beta     the beta it was trained at (null for Haar)
 * @param checksum "sha256:..." of the defining files, or "haar"
 * @param name     the run folder, or "haar"
 * @param config   the run's configuration (null for Haar)
 * @param step     the training step of the weights (0 for Haar)
 * @param weights  the weights file: best.pt, checkpoint.pt, or "none" for Haar
 */
public record TrainedModel(Density density, FieldOptions options, GaugeGroup group, Lattice lattice, Double beta,
                           String checksum, String name, RunConfig config, long step, String weights) {

    /** The configuration file of a run folder. */
    public static final String CONFIG = "config.yaml";

    /**
     * Loads the model of a run folder written by {@code gaugeflow train} / {@code TrainingRun}: the best model by the
     * held-out estimate (best.pt) where the run kept one, else the last (checkpoint.pt).
     */
    public static TrainedModel load(Path dir) throws IOException {
        return load(dir, false);
    }

    /** As {@link #load(Path)}; with {@code last}, the last weights (checkpoint.pt) even where best.pt exists. */
    public static TrainedModel load(Path dir, boolean last) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model " + dir + ": not a folder; expected a run folder written by 'gaugeflow train --out DIR'");
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG)) || !Files.isRegularFile(dir.resolve(Checkpoint.ARCHIVE))) {
            throw new IllegalArgumentException("model " + dir + ": " + CONFIG + " or " + Checkpoint.ARCHIVE
                    + " missing; expected a run folder written by 'gaugeflow train --out DIR'");
        }
        String weights = !last && Files.isRegularFile(dir.resolve(Checkpoint.BEST)) ? Checkpoint.BEST : Checkpoint.ARCHIVE;
        String checksum = ModelChecksum.sha256(dir, List.of(CONFIG, weights));
        RunConfig cfg = RunConfig.load(dir.resolve(CONFIG));
        Module model = build(cfg);
        long step = Checkpoint.loadModelFrom(dir.resolve(weights), model);
        return new TrainedModel((Density) model, cfg.options(), cfg.theory().group(), cfg.theory().lattice(),
                cfg.theory().beta(), checksum, dir.toString(), cfg, step, weights);
    }

    /**
     * The untrained model of a configuration, with its initial weights: drawn from a stream seeded with
     * {@code training.seed + 1} (the sampling stream of training uses {@code training.seed}).
     */
    public static Module build(RunConfig cfg) {
        try (Rng init = new Rng(cfg.training().seed() + 1, cfg.options())) {
            return ModelRegistry.build(cfg.theory(), cfg.model(), cfg.options(), init);
        }
    }

    /** The Haar measure on {@code lattice} as a proposal (log q = 0): exact and model-free. */
    public static TrainedModel haar(GaugeGroup group, Lattice lattice, FieldOptions options) {
        return new TrainedModel(new HaarDensity(group, lattice), options, group, lattice, null, "haar", "haar", null, 0, "none");
    }

    /**
     * This model on another lattice with the default {@link VolumeTransfer.Mode#SCALE}: the same model section built
     * for {@code target} and the same beta, its weights copied from this model ({@link VolumeTransfer}); e.g. a model
     * trained on 8x8 run on 16x16 or 32x32. Exact like any model (its log q is the density of its samples).
     */
    public TrainedModel onLattice(Lattice target) { return onLattice(target, VolumeTransfer.Mode.SCALE); }

    /**
     * This model on another lattice ({@link VolumeTransfer}, {@code mode} says which trained layers the extra doubling
     * layers repeat). The same lattice returns this model; Haar returns Haar on {@code target}. The checksum and name
     * gain "@LATTICE/mode", so chain checkpoints and provenance tell transferred models apart.
     */
    public TrainedModel onLattice(Lattice target, VolumeTransfer.Mode mode) {
        if (target.equals(lattice)) return this;
        if (target.dims() != lattice.dims()) {
            throw new IllegalArgumentException("lattice " + target + ": the model " + name + " is " + lattice.dims()
                    + "-dimensional (" + lattice + ")");
        }
        if (config == null) return haar(group, target, options);
        org.gaugeflow.physics.Theory th = new org.gaugeflow.physics.Theory(group, target, beta);
        Module m;
        try (Rng init = new Rng(config.training().seed() + 1, options)) {
            m = ModelRegistry.build(th, config.model(), options, init);
        }
        VolumeTransfer.copyWeights(module(), m, mode);
        String tag = "@" + target + "/" + mode.label();
        return new TrainedModel((Density) m, options, group, target, beta, checksum + tag, name + tag, config.withTheory(th),
                step, weights);
    }

    /** The model's size for memory estimates (nothing for Haar). */
    public ModelFootprint footprint() {
        return config == null ? ModelFootprint.NONE : ModelRegistry.footprint(config.theory(), config.model());
    }

    /** The model as a LibTorch module (null for Haar). */
    public Module module() { return density instanceof Module m ? m : null; }
}
