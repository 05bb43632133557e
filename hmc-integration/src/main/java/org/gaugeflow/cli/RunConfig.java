package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.training.GradientEstimator;
import org.gaugeflow.training.LearningRateSchedule;
import org.gaugeflow.training.TrainingConfig;

/**
 * A training run's YAML configuration (docs/training.md): {@code theory} (group, lattice, beta),
 * {@code model} (type and the type's own keys, see {@link ModelFactory}) and {@code training}.
 */
public record RunConfig(String source, JsonNode tree, Theory theory, JsonNode model, String modelType,
                        TrainingConfig training, long checkpointInterval, long evalSamples, long evalBatch) {

    /** The target theory: gauge group, lattice and the Wilson action's beta. */
    public record Theory(GaugeGroup group, Lattice lattice, double beta) {
        public WilsonAction action() { return new WilsonAction(beta); }
    }

    private static final List<String> TOP = List.of("theory", "model", "training");
    private static final List<String> THEORY = List.of("group", "lattice", "beta");
    private static final List<String> TRAINING = List.of("batch", "steps", "lr", "min_lr", "schedule", "lr_step_every",
            "lr_gamma", "grad_clip", "seed", "precision", "device", "metrics_interval", "checkpoint_interval",
            "estimator", "eval_samples", "eval_batch");

    public static RunConfig load(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("config " + file + ": not found; expected a YAML file");
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    public static RunConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + source + ": not valid YAML (" + oneLine(e) + ")");
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("config " + source + ": expected a mapping with theory, model, training");
        checkKeys(root, "", TOP, source);
        JsonNode th = section(root, "theory", source);
        JsonNode md = section(root, "model", source);
        JsonNode tr = section(root, "training", source);
        checkKeys(th, "theory.", THEORY, source);
        checkKeys(tr, "training.", TRAINING, source);
        Theory theory = new Theory(GaugeGroup.parse(text(th, "group", "theory.group", source)),
                Lattice.parse(text(th, "lattice", "theory.lattice", source)), number(th, "beta", "theory.beta", source, Double.NaN));
        String type = text(md, "type", "model.type", source);
        double lr = number(tr, "lr", "training.lr", source, 1e-3);
        TrainingConfig tc = new TrainingConfig(
                integer(tr, "batch", source, 256),
                integer(tr, "steps", source, 1000),
                new LearningRateSchedule(tr.path("schedule").asText("cosine"), lr, number(tr, "min_lr", "training.min_lr", source, lr / 10),
                        integer(tr, "lr_step_every", source, 1000), number(tr, "lr_gamma", "training.lr_gamma", source, 0.5)),
                number(tr, "grad_clip", "training.grad_clip", source, 10.0),
                integer(tr, "seed", source, 1),
                new FieldOptions(Precision.parse(tr.path("precision").asText("float32")), tr.path("device").asText("cpu")),
                integer(tr, "metrics_interval", source, 10),
                GradientEstimator.parse(tr.path("estimator").asText("reparameterized")));
        long ckpt = integer(tr, "checkpoint_interval", source, 100);
        if (ckpt < 1) throw new IllegalArgumentException("config " + source + ": training.checkpoint_interval = " + ckpt + ", expected >= 1");
        long evalSamples = integer(tr, "eval_samples", source, 4096);
        long evalBatch = integer(tr, "eval_batch", source, Math.min(1024, tc.batch()));
        if (evalSamples < 2 || evalBatch < 1) throw new IllegalArgumentException("config " + source + ": training.eval_samples = " + evalSamples + ", expected >= 2");
        return new RunConfig(source, root, theory, md, type, tc, ckpt, evalSamples, evalBatch);
    }

    /** The same configuration with a different total step count. */
    public RunConfig withSteps(long steps) {
        TrainingConfig t = training;
        return new RunConfig(source, tree, theory, model, modelType, new TrainingConfig(t.batch(), steps, t.schedule(),
                t.gradClip(), t.seed(), t.options(), t.metricsInterval(), t.estimator()), checkpointInterval, evalSamples, evalBatch);
    }

    private static String oneLine(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    private static JsonNode section(JsonNode root, String name, String source) {
        JsonNode n = root.get(name);
        if (n == null || !n.isObject()) throw new IllegalArgumentException("config " + source + ": '" + name + "' missing; expected a mapping");
        return n;
    }

    private static void checkKeys(JsonNode node, String prefix, List<String> allowed, String source) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("config " + source + ": unknown key '" + prefix + k + "'; expected one of " + allowed);
            }
        }
    }

    static String text(JsonNode n, String key, String name, String source) {
        JsonNode v = n.get(key);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) throw new IllegalArgumentException("config " + source + ": '" + name + "' missing; expected a value");
        return v.asText();
    }

    static double number(JsonNode n, String key, String name, String source, double dflt) {
        JsonNode v = n.get(key);
        if (v == null) {
            if (Double.isNaN(dflt)) throw new IllegalArgumentException("config " + source + ": '" + name + "' missing; expected a number");
            return dflt;
        }
        if (!v.isNumber()) throw new IllegalArgumentException("config " + source + ": " + name + " = '" + v.asText() + "', expected a number");
        return v.asDouble();
    }

    static long integer(JsonNode n, String key, String source, long dflt) {
        JsonNode v = n.get(key);
        if (v == null) return dflt;
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("config " + source + ": " + key + " = '" + v.asText() + "', expected an integer");
        }
        return v.asLong();
    }
}
