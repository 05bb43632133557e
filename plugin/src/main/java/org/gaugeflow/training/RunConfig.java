package org.gaugeflow.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;

/**
 * A training run's YAML configuration (docs/training.md): {@code theory} (group, lattice, beta), {@code model}
 * (type and the type's own keys, checked by {@link org.gaugeflow.model.ModelRegistry}) and {@code training}.
 * Unknown and duplicate keys are errors ({@link ConfigSection}).
 *
 * @param text               the YAML text as given (written to the run folder unchanged)
 * @param source             where it came from, for errors
 * @param theory             the target theory
 * @param model              the {@code model} mapping
 * @param modelType          {@code model.type}
 * @param training           trainer settings
 * @param checkpointInterval steps between checkpoints
 * @param evalSamples        fresh samples of the final evaluation
 * @param evalBatch          sampling batch of evaluations
 * @param heldoutEvery       steps between held-out evaluations that keep the best model (0: never)
 * @param heldoutSamples     fresh samples of each held-out evaluation
 */
public record RunConfig(String text, String source, Theory theory, ConfigSection model, String modelType,
                        TrainingConfig training, long checkpointInterval, long evalSamples, long evalBatch,
                        long heldoutEvery, long heldoutSamples) {

    private static final List<String> TOP = List.of("theory", "model", "training");
    private static final List<String> THEORY = List.of("group", "lattice", "beta");
    private static final List<String> TRAINING = List.of("batch", "steps", "max_seconds", "lr", "min_lr", "schedule",
            "lr_step_every", "lr_gamma", "grad_clip", "seed", "precision", "device", "metrics_interval",
            "checkpoint_interval", "estimator", "eval_samples", "eval_batch", "heldout_every", "heldout_samples");

    /** Reads a configuration file; errors name the file. */
    public static RunConfig load(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("config " + file + ": not found; expected a YAML file");
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": cannot read (" + org.gaugeflow.io.IoErrors.reason(e) + ")");
        }
    }

    /** Parses a configuration text; {@code source} names it in errors. */
    public static RunConfig parse(String yaml, String source) {
        ConfigSection root = ConfigSection.parse(yaml, source);
        root.allowOnly(TOP);
        ConfigSection th = root.section("theory");
        ConfigSection md = root.section("model");
        ConfigSection tr = root.section("training");
        th.allowOnly(THEORY);
        tr.allowOnly(TRAINING);
        Theory theory;
        try {
            theory = new Theory(GaugeGroup.parse(th.text("group")), Lattice.parse(th.text("lattice")), th.number("beta"));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("config ") ? e : root.error(e.getMessage());
        }
        String type = md.text("type");
        double lr = tr.number("lr", 1e-3);
        TrainingConfig tc;
        try {
            tc = new TrainingConfig(
                    tr.integer("batch", 256),
                    tr.integer("steps", 1000),
                    new LearningRateSchedule(tr.text("schedule", "cosine"), lr, tr.number("min_lr", lr / 10),
                            tr.integer("lr_step_every", 1000), tr.number("lr_gamma", 0.5)),
                    tr.number("grad_clip", 10.0),
                    tr.integer("seed", 1),
                    new FieldOptions(Precision.parse(tr.text("precision", "float32")), tr.text("device", "cpu")),
                    tr.integer("metrics_interval", 10),
                    GradientEstimator.parse(tr.text("estimator", "reparameterized")),
                    tr.number("max_seconds", 0));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("config ") ? e : root.error(e.getMessage());
        }
        long ckpt = tr.integer("checkpoint_interval", 100);
        if (ckpt < 1) throw root.error("training.checkpoint_interval = " + ckpt + ", expected >= 1");
        long evalSamples = tr.integer("eval_samples", 4096);
        if (evalSamples < 2) throw root.error("training.eval_samples = " + evalSamples + ", expected >= 2");
        long evalBatch = tr.integer("eval_batch", Math.min(1024, tc.batch()));
        if (evalBatch < 1) throw root.error("training.eval_batch = " + evalBatch + ", expected >= 1");
        long heldoutEvery = tr.integer("heldout_every", ckpt);
        if (heldoutEvery < 0) throw root.error("training.heldout_every = " + heldoutEvery + ", expected >= 0 (0: never)");
        long heldoutSamples = tr.integer("heldout_samples", 512);
        if (heldoutSamples < 2) throw root.error("training.heldout_samples = " + heldoutSamples + ", expected >= 2");
        return new RunConfig(yaml, source, theory, md, type, tc, ckpt, evalSamples, evalBatch, heldoutEvery, heldoutSamples);
    }

    /** The parsed tree of the whole file (recorded in checkpoints). */
    public JsonNode tree() {
        return ConfigSection.parse(text, source).node();
    }

    /** The same configuration with a different total step count. */
    public RunConfig withSteps(long steps) {
        return new RunConfig(text, source, theory, model, modelType, training.withSteps(steps), checkpointInterval,
                evalSamples, evalBatch, heldoutEvery, heldoutSamples);
    }

    /** The same configuration with a wall-clock training budget in seconds (0: none). */
    public RunConfig withMaxSeconds(double seconds) {
        return new RunConfig(text, source, theory, model, modelType, training.withMaxSeconds(seconds), checkpointInterval,
                evalSamples, evalBatch, heldoutEvery, heldoutSamples);
    }

    /** The same configuration on another device ({@code cpu}, {@code cuda}, {@code cuda:N}). */
    public RunConfig withDevice(String device) {
        return new RunConfig(text, source, theory, model, modelType, training.withOptions(new FieldOptions(training.options().precision(), device)),
                checkpointInterval, evalSamples, evalBatch, heldoutEvery, heldoutSamples);
    }

    /**
     * The same configuration for another theory (e.g. another lattice, for {@code TrainedModel.onLattice}); the text
     * and {@link #tree()} still describe the file as written.
     */
    public RunConfig withTheory(Theory other) {
        return new RunConfig(text, source, other, model, modelType, training, checkpointInterval, evalSamples, evalBatch,
                heldoutEvery, heldoutSamples);
    }

    /**
     * The configuration as it takes effect, defaults filled in (recorded in the run folder's run.json and compared
     * key by key on resume): {@code theory.*}, {@code model.*} as given, {@code training.*} with every key.
     */
    public java.util.Map<String, Object> effective() {
        java.util.Map<String, Object> th = new java.util.LinkedHashMap<>();
        th.put("group", theory.group().name());
        th.put("lattice", theory.lattice().toString());
        th.put("beta", theory.beta());
        TrainingConfig t = training;
        java.util.Map<String, Object> tr = new java.util.LinkedHashMap<>();
        tr.put("batch", t.batch());
        tr.put("steps", t.steps());
        tr.put("max_seconds", t.maxSeconds());
        tr.put("lr", t.schedule().lr());
        tr.put("min_lr", t.schedule().minLr());
        tr.put("schedule", t.schedule().kind());
        tr.put("lr_step_every", t.schedule().every());
        tr.put("lr_gamma", t.schedule().gamma());
        tr.put("grad_clip", t.gradClip());
        tr.put("seed", t.seed());
        tr.put("precision", t.options().precision().label());
        tr.put("device", t.options().device());
        tr.put("metrics_interval", t.metricsInterval());
        tr.put("checkpoint_interval", checkpointInterval);
        tr.put("estimator", t.estimator().label());
        tr.put("eval_samples", evalSamples);
        tr.put("eval_batch", evalBatch);
        tr.put("heldout_every", heldoutEvery);
        tr.put("heldout_samples", heldoutSamples);
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
        all.put("theory", th);
        all.put("model", model.node());
        all.put("training", tr);
        return all;
    }

    /** The device and precision of the model. */
    public FieldOptions options() { return training.options(); }
}
