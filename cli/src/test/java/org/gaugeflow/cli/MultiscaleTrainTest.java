package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gaugeflow train / eval} with {@code model.type: multiscale} (the trainer, checkpoints and resume of issue 5). */
class MultiscaleTrainTest {
    private static final String CONFIG = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 2.0}",
            "model: {type: multiscale, coarse: 2x2, scm_layers: 1, scm_bins: 4, scm_hidden: [4], fine_layers: 1,",
            "        bins: 4, hidden: [4]}",
            "training: {batch: 8, steps: 4, lr: 0.01, seed: 3, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 32, eval_batch: 16}", "");

    @Test
    void trainsResumesAndEvaluatesAMultiscaleModel(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("m.yaml");
        Files.writeString(cfg, CONFIG);
        Path out = tmp.resolve("run");
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", out.toString(), "--steps", "2", "--quiet"));
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", out.toString(), "--resume", "--quiet"));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(4, summary.get("steps").asLong());
        double ess = summary.get("ess").asDouble();
        assertTrue(ess > 0 && ess <= 1, "ess " + ess);
        assertTrue(summary.get("kl").asDouble() > -0.5, "KL must be ~>= 0 (exact log Z): " + summary.get("kl"));
        assertEquals(0, Main.execute("eval", out.toString(), "--samples", "32"));

        Files.writeString(cfg, CONFIG.replace("scm_layers", "scm_layer"));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", tmp.resolve("bad").toString(), "--quiet"));
        Files.writeString(cfg, CONFIG.replace("group: u1", "group: su3"));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", tmp.resolve("bad2").toString(), "--quiet"));
    }
}
