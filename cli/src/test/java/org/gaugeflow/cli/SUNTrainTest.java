package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gaugeflow train / eval} with {@code model.type: sun-multiscale} and {@code sun-flow} (issue 7). */
class SUNTrainTest {
    private static final String CONFIG = String.join("\n",
            "theory: {group: su3, lattice: 4x4, beta: 2.0}",
            "model: {type: sun-multiscale, coarse: 2x2, scm_iterations: 1, hidden: [4], bins: 4, fine_iterations: 0}",
            "training: {batch: 4, steps: 2, lr: 0.01, seed: 3, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 16, eval_batch: 8}", "");

    @Test
    void trainsAndEvaluatesSUNModelsAndRejectsBadConfigs(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("m.yaml");
        Files.writeString(cfg, CONFIG);
        Path out = tmp.resolve("run");
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", out.toString(), "--quiet"));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.get("steps").asLong());
        double ess = summary.get("ess").asDouble();
        assertTrue(ess > 0 && ess <= 1, "ess " + ess);
        assertEquals(0, Main.execute("eval", out.toString(), "--samples", "16"));

        Files.writeString(cfg, CONFIG.replace("type: sun-multiscale, coarse: 2x2, scm_iterations: 1, hidden: [4], bins: 4, fine_iterations: 0",
                "type: sun-flow, iterations: 1, hidden: [4], bins: 4"));
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", tmp.resolve("flow").toString(), "--steps", "1", "--quiet"));

        Files.writeString(cfg, CONFIG.replace("scm_iterations", "scm_iteration"));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", tmp.resolve("bad").toString(), "--quiet"));
        Files.writeString(cfg, CONFIG.replace("group: su3", "group: u1"));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", tmp.resolve("bad2").toString(), "--quiet"));
    }
}
