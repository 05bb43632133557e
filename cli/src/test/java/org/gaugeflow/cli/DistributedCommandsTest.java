package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaugeflow.physics.ExactU1TwoD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's multi-process modes (docs/distributed.md): {@code train --nproc 2} runs two data-parallel
 * workers whose rank 0 writes the run folder; {@code sample --replicas 2} runs two independent replicas of a 2D U(1)
 * chain in two workers, and {@code analyze} combines them to the exact plaquette within 4 sigma.
 */
class DistributedCommandsTest {
    private static final String CONFIG = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: u1-flow, layers: 2, bins: 4, hidden: [4], kernel: 3}",
            "training: {batch: 8, steps: 2, lr: 0.01, seed: 5, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 16, eval_batch: 8, heldout_every: 0}", "");

    @Test
    void trainWithTwoProcessesWritesOneRunFolder(@TempDir Path tmp) throws Exception {
        Path cfg = Files.writeString(tmp.resolve("c.yaml"), CONFIG);
        Path out = tmp.resolve("run");
        assertEquals(0, Main.execute("train", cfg.toString(), "--out", out.toString(), "--nproc", "2", "--threads", "2",
                "--timeout", "60", "--quiet"));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.get("ranks").asInt());
        assertEquals(1, summary.get("threads").asInt(), "2 threads split between 2 workers");
        assertEquals(2, summary.get("steps").asLong());
        JsonNode ck = new ObjectMapper().readTree(out.resolve("checkpoint.json").toFile());
        assertEquals("data-parallel over 2 ranks", ck.get("sampling").asText());
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size(), "header + 2 steps");
        assertTrue(Files.isRegularFile(out.resolve("training.png")));
        assertEquals(2, Main.execute("train", cfg.toString(), "--out", out.toString(), "--nproc", "0"));
        assertEquals(List.of("train", "c.yaml", "--out", "d", "--quiet"),
                TrainCommand.workerArguments(List.of("train", "c.yaml", "--nproc", "4", "--out", "d", "--threads=8", "--quiet")));
    }

    @Test
    void replicasOfA2dU1ChainCombineToTheExactPlaquette(@TempDir Path tmp) throws Exception {
        double exact = new ExactU1TwoD(2.0, 64).plaquette();
        Path out = tmp.resolve("ens");
        assertEquals(0, Main.execute("sample", "--chain", "hmc", "--group", "u1", "--lattice", "8x8", "--beta", "2",
                "--n", "400", "--therm", "50", "--save-every", "0", "--seed", "21", "--steps", "8", "--replicas", "2",
                "--out", out.toString(), "--quiet"));
        for (int r = 0; r < 2; r++) {
            JsonNode s = new ObjectMapper().readTree(out.resolve("replica-" + r).resolve("summary.json").toFile());
            assertEquals(21 + r, s.get("parameters").get("seed").asLong(), "replica " + r + " seed");
        }
        Path json = tmp.resolve("analysis.json");
        assertEquals(0, Main.execute("analyze", out.resolve("replica-0").toString(), out.resolve("replica-1").toString(),
                "--json", json.toString()));
        JsonNode p = new ObjectMapper().readTree(json.toFile()).get("observables").get("plaquette");
        double mean = p.get("combined").get("mean").asDouble();
        double err = p.get("combined").get("error").asDouble();
        System.out.printf("2 replicas: plaquette %.5f +- %.5f, exact %.5f (%.1f sigma)%n", mean, err, exact, (mean - exact) / err);
        assertTrue(err > 0 && err < 0.01, "combined error " + err);
        assertEquals(exact, mean, 4 * err, "combined plaquette " + mean + " +- " + err + " vs exact " + exact);
        assertEquals(2 * 350, p.get("combined").get("n").asInt());
        assertEquals(2, p.get("replicas").size());
    }
}
