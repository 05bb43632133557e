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
import org.gaugeflow.multiscale.U1HeatbathPrior;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The small multiscale U(1) model of {@code gaugeflow demo}: a Haar prior on a 2x2 lattice and doubling
 * layers up to the target lattice, each with the Eq. (6) heatbath staple-conditional model whose beta-tilde
 * is learned; trained by minimizing the reverse KL E_q[log q + S] (Eqs. (2)-(3)) with Adam. Saved as a
 * model folder (model.json + weights.pt) that {@code gaugeflow sample --model DIR} reads.
 *
 * <p>Interim: the general trainer, checkpoints and model factory are the flows module's
 * ({@code gaugeflow train}); this class covers the one architecture the demo needs.
 */
public final class HeatbathMultiscale {
    static final String TYPE = "multiscale-u1-heatbath";
    static final String CONFIG = "model.json";
    static final String WEIGHTS = "weights.pt";

    private HeatbathMultiscale() {}

    public static MultiscaleModel build(Lattice coarse, Lattice target, double betaTildeInit, FieldOptions options) {
        return MultiscaleModel.withHaarPrior(U1.INSTANCE, coarse, target,
                (lat, mu) -> new U1HeatbathPrior(2, betaTildeInit, options), null);
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
                    MultiscaleModel.FieldSample fs = m.sampleField(batch, rng);
                    Tensor loss = fs.logQ().add(action.action(fs.field())).mean();
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

    /** Writes DIR/model.json and DIR/weights.pt (each atomically). */
    public static void save(Path dir, MultiscaleModel m, Lattice coarse, double beta, ObjectNode training) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode c = json.createObjectNode();
        c.put("type", TYPE);
        c.put("group", "u1");
        c.put("coarse", coarse.toString());
        c.put("lattice", m.lattice().toString());
        c.put("beta", beta);
        c.put("precision", "float64");
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

    /** True when DIR/model.json names this architecture. */
    static boolean isOne(Path dir) throws IOException {
        Path c = dir.resolve(CONFIG);
        if (!Files.isRegularFile(c)) return false;
        JsonNode n = new ObjectMapper().readTree(c.toFile());
        return TYPE.equals(n.path("type").asText());
    }

    static ProposalModels.Loaded load(Path dir, FieldOptions options, String checksum) throws IOException {
        JsonNode c = new ObjectMapper().readTree(dir.resolve(CONFIG).toFile());
        Lattice coarse = Lattice.parse(c.path("coarse").asText());
        Lattice target = Lattice.parse(c.path("lattice").asText());
        double beta = c.path("beta").asDouble(Double.NaN);
        Path w = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(w)) {
            throw new IllegalArgumentException("model " + dir + ": " + WEIGHTS + " missing; expected a trained model folder");
        }
        MultiscaleModel m = build(coarse, target, 1.0, options);
        InputArchive a = new InputArchive();
        a.load_from(w.toString());
        m.load(a);
        return new ProposalModels.Loaded(m, options, U1.INSTANCE, target, Double.isNaN(beta) ? null : beta, checksum,
                dir.toString());
    }
}
