package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaugeflow.grid.GridBridge;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine grid} on the command line (docs/grid.md): {@code gaugeflow hmc} and a hybrid chain of {@code gaugeflow
 * sample} whose HMC trajectories run in Grid. Needs the Grid bridge; skipped with the reason without it.
 */
class GridCommandTest {

    @TempDir Path tmp;

    @BeforeEach
    void grid() {
        if (!GridBridge.available()) System.out.println("[gaugeflow-cli] Grid tests skipped: " + GridBridge.unavailableReason());
        Assumptions.assumeTrue(GridBridge.available(), () -> "Grid tests skipped: " + GridBridge.unavailableReason());
    }

    private static JsonNode summary(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    @Test
    void hmcWithTheGridEngine() throws Exception {
        Path out = tmp.resolve("hmc");
        int rc = Main.execute("hmc", "--group", "su3", "--lattice", "4x4x4x4", "--beta", "6.0", "--trajectories", "20",
                "--therm", "5", "--steps", "10", "--integrator", "omelyan", "--engine", "grid", "--quiet", "--save-every", "10",
                "--out", out.toString());
        assertEquals(0, rc);
        JsonNode s = summary(out);
        assertEquals("grid", s.path("parameters").path("engine").asText());
        assertTrue(s.path("acceptance").asDouble() > 0.5, s.toString());
        assertEquals(26, Files.readAllLines(out.resolve("history.csv")).size());
        try (var files = Files.list(out.resolve("configs"))) {
            assertEquals(2, files.count());
        }
    }

    /**
     * A hybrid chain, Haar proposals (exact, tiny acceptance on SU(3) 4^4) mixed with Grid's HMC trajectories, reproduces
     * the plaquette of a long native HMC run within 4 sigma (Gamma-method errors of both).
     */
    @Test
    void hybridChainWithHaarProposalsAndGridMatchesNative() throws Exception {
        Path hybrid = tmp.resolve("hybrid");
        long t0 = System.nanoTime();
        assertEquals(0, Main.execute("sample", "--model", "haar", "--group", "su3", "--lattice", "4x4x4x4", "--beta", "6.0",
                "--chain", "hybrid", "--hmc-every", "1", "--flow-every", "1", "--n", "800", "--therm", "100", "--save-every", "0",
                "--engine", "grid", "--steps", "10", "--integrator", "omelyan", "--seed", "3", "--quiet", "--batch", "8",
                "--out", hybrid.toString()));
        double hybridSeconds = (System.nanoTime() - t0) * 1e-9;
        Path reference = tmp.resolve("native");
        assertEquals(0, Main.execute("hmc", "--group", "su3", "--lattice", "4x4x4x4", "--beta", "6.0", "--trajectories", "2000",
                "--therm", "100", "--steps", "10", "--integrator", "omelyan", "--engine", "native", "--seed", "4", "--quiet",
                "--out", reference.toString()));
        JsonNode h = summary(hybrid).path("observables").path("plaquette");
        JsonNode n = summary(reference).path("plaquette");
        double sigma = Math.hypot(h.path("error").asDouble(), n.path("error").asDouble());
        String msg = String.format("hybrid (grid HMC + haar) %.5f +- %.5f (tau_int %.1f), native %.5f +- %.5f; acceptance %s; %.0f s",
                h.path("mean").asDouble(), h.path("error").asDouble(), h.path("tau_int").asDouble(), n.path("mean").asDouble(),
                n.path("error").asDouble(), summary(hybrid).path("acceptance"), hybridSeconds);
        System.out.println("[GridCommandTest] " + msg);
        assertEquals(n.path("mean").asDouble(), h.path("mean").asDouble(), 4 * sigma, msg);
        assertTrue(sigma > 0 && sigma < 0.008, "errors too large to test: " + msg);
        assertEquals("grid", summary(hybrid).path("parameters").path("engine").asText(""), "engine recorded");
    }
}
