package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final String CONFIG = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: u1-flow, layers: 2, bins: 4, hidden: [4], kernel: 3}",
            "training: {batch: 16, steps: 6, lr: 0.01, seed: 5, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 128, eval_batch: 32}", "");

    @Test
    void trainResumeAndEvalWriteTheDocumentedOutputs(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("c.yaml");
        Files.writeString(cfg, CONFIG);
        Path out = tmp.resolve("run");
        // a run "killed" after 3 steps: the last checkpoint is at step 2 (interval 2), metrics up to 3
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", out.toString(), "--steps", "3", "--quiet"));
        for (String f : List.of("summary.json", "metrics.csv", "training.png", "checkpoint.pt", "checkpoint.json", "config.yaml")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", out.toString(), "--quiet")); // exists: needs --resume
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", out.toString(), "--resume", "--quiet"));
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(org.gaugeflow.training.TrainingMetrics.HEADER, lines.get(0));
        assertEquals(7, lines.size(), "header + steps 1..6, no duplicate and no gap: " + lines);
        for (int i = 1; i <= 6; i++) assertTrue(lines.get(i).startsWith(i + ","), lines.get(i));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(6, summary.get("steps").asLong());
        for (String k : List.of("ess", "kl", "seconds", "parameters")) assertTrue(summary.has(k), k);
        assertTrue(summary.get("log_z").has("mean") && summary.get("log_z").has("error"));
        double ess = summary.get("ess").asDouble();
        assertTrue(ess > 0 && ess <= 1, "ess " + ess);
        // 128 evaluation samples: the Pareto tail of p/q is reported with its limit 1 - 1/log10(128)
        assertTrue(summary.get("pareto_k").isNumber(), summary.toString());
        assertEquals(1 - 1 / Math.log10(128), summary.get("pareto_k_limit").asDouble(), 1e-12);

        assertEquals(0, Main.execute("eval", out.toString(), "--samples", "100", "--last"));
        JsonNode ev = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
        assertEquals(6, ev.get("checkpoint_step").asLong());
        assertEquals("checkpoint.pt", ev.get("weights").asText());
        assertTrue(ev.get("ess_error").asDouble() > 0);
        assertTrue(ev.get("pareto_k").isNumber() && ev.get("pareto_k_limit").asDouble() == 0.5, ev.toString());
        // without --last: the best model by the held-out loss (evaluated every checkpoint_interval steps)
        assertEquals(0, Main.execute("eval", out.toString(), "--samples", "100"));
        ev = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
        assertEquals(summary.get("best").get("step").asLong(), ev.get("checkpoint_step").asLong());
        assertEquals("best.pt", ev.get("weights").asText());
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
        }

        // compare: the run against itself, a plot and no temporary file; a folder without metrics is refused
        Path png = tmp.resolve("plots/cmp.png");
        assertEquals(0, Main.execute("compare", out.toString(), out.toString(), "--out", png.toString(), "--smooth", "2"));
        assertTrue(Files.size(png) > 1000);
        assertTrue(Files.notExists(tmp.resolve("plots/cmp.png.tmp")));
        assertEquals(2, Main.execute("compare", tmp.toString(), "--out", png.toString()));
        assertEquals(2, Main.execute("compare", out.toString(), "--out", tmp.resolve("cmp.jpg").toString()));
    }

    @Test
    void runningMeanSkipsNonPositiveValues() {
        double[] r = CompareCommand.runningMean(new double[] {1, 3, 0, 5}, 2);
        assertEquals(1.0, r[0]);
        assertEquals(2.0, r[1]);
        assertEquals(3.0, r[2]);
        assertEquals(5.0, r[3]);
        assertTrue(Double.isNaN(CompareCommand.runningMean(new double[] {0}, 3)[0]));
    }

    @Test
    void badConfigurationsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, CONFIG.replace("batch: 16", "batchsize: 16"));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", tmp.resolve("r").toString(), "--quiet"));
        Files.writeString(cfg, CONFIG.replace("u1-flow", "no-such-model"));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", tmp.resolve("r2").toString(), "--quiet"));
        assertEquals(2, Main.execute("train", tmp.resolve("missing.yaml").toString(), "--out", tmp.resolve("r3").toString()));
        assertEquals(2, Main.execute("eval", tmp.resolve("nothing").toString(), "--samples", "10"));
    }
}
