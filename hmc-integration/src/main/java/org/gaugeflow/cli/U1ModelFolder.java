package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.group.U1;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.multiscale.ReverseKl;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * A U(1) multiscale model in a folder: {@code model.json} ({@code type: multiscale}, group, target lattice,
 * beta, the {@code model} section that {@link U1Models#fromConfig} builds the architecture from, and what the
 * training did) and {@code weights.pt} (LibTorch archive of the module). {@code gaugeflow demo} writes one and
 * {@code gaugeflow sample --model DIR} reads it. {@link #fit} is the demo's short reverse-KL training
 * (Eqs. (2)-(3), Adam); the general trainer is {@code gaugeflow train} (flows module).
 */
public final class U1ModelFolder {
    static final String TYPE = "multiscale";
    static final String CONFIG = "model.json";
    static final String WEIGHTS = "weights.pt";

    private U1ModelFolder() {}

    /** The demo's small model: 2x2 Haar prior, doubling layers with the Eq. (6) heatbath prior alone, no fine flow. */
    public static Map<String, Object> smallHeatbathConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("coarse", "2x2");
        m.put("scm_layers", 0);
        m.put("fine_layers", 0);
        m.put("beta_tilde", 1.0);
        return m;
    }

    public static MultiscaleModel build(Map<String, ?> config, Lattice target, FieldOptions options) {
        try (Rng init = new Rng(0, options)) {
            return U1Models.fromConfig(config, target, options, init);
        }
    }

    /**
     * Reverse-KL training: {@code steps} Adam steps on batches of {@code batch} samples; {@code progress} is
     * told the step number after each. Returns the last loss E_q[log q + S] (= KL - log Z).
     */
    public static double fit(MultiscaleModel m, double beta, int steps, int batch, double lr, long seed,
            FieldOptions options, IntConsumer progress) {
        WilsonAction action = new WilsonAction(beta);
        Adam opt = new Adam(m.parameters(), new AdamOptions(lr));
        double last = Double.NaN;
        try (Rng rng = new Rng(seed, options)) {
            for (int step = 0; step < steps; step++) {
                try (PointerScope s = new PointerScope()) {
                    Tensor loss = ReverseKl.loss(m.sample(batch, rng), U1.INSTANCE, m.lattice(), action);
                    opt.zero_grad();
                    loss.backward();
                    opt.step();
                    last = loss.item_double();
                }
                if (progress != null) progress.accept(step + 1);
            }
        }
        return last;
    }

    /** Writes DIR/weights.pt and DIR/model.json (each atomically; model.json last). */
    public static void save(Path dir, MultiscaleModel m, Map<String, ?> config, double beta, ObjectNode training)
            throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode c = json.createObjectNode();
        c.put("type", TYPE);
        c.put("group", "u1");
        c.put("lattice", m.lattice().toString());
        c.put("beta", beta);
        c.put("precision", "float64");
        c.set("model", json.valueToTree(config));
        if (training != null) c.set("training", training);
        Path tmp = Files.createTempFile(dir, "." + WEIGHTS + ".", ".tmp");
        try {
            OutputArchive a = new OutputArchive();
            m.save(a);
            a.save_to(tmp.toString());
            Files.move(tmp, dir.resolve(WEIGHTS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        byte[] bytes = (json.writeValueAsString(c) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(dir.resolve(CONFIG), ch -> ch.write(java.nio.ByteBuffer.wrap(bytes)));
    }

    /** True when DIR/model.json describes a U(1) multiscale model. */
    static boolean isOne(Path dir) throws IOException {
        Path c = dir.resolve(CONFIG);
        if (!Files.isRegularFile(c)) return false;
        JsonNode n = new ObjectMapper().readTree(c.toFile());
        return TYPE.equals(n.path("type").asText()) && "u1".equalsIgnoreCase(n.path("group").asText("u1"));
    }

    @SuppressWarnings("unchecked")
    static ProposalModels.Loaded load(Path dir, FieldOptions options, String checksum) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode c = json.readTree(dir.resolve(CONFIG).toFile());
        if (!c.hasNonNull("lattice") || !c.has("model")) {
            throw new IllegalArgumentException("model " + dir + "/" + CONFIG + ": expected keys lattice and model");
        }
        Lattice target = Lattice.parse(c.path("lattice").asText());
        double beta = c.path("beta").asDouble(Double.NaN);
        Path w = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(w)) {
            throw new IllegalArgumentException("model " + dir + ": " + WEIGHTS + " missing; expected a trained model folder");
        }
        MultiscaleModel m = build(json.convertValue(c.get("model"), Map.class), target, options);
        InputArchive a = new InputArchive();
        a.load_from(w.toString());
        m.load(a);
        return new ProposalModels.Loaded(m, options, U1.INSTANCE, target, Double.isNaN(beta) ? null : beta, checksum,
                dir.toString());
    }
}
