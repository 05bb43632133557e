package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.gaugeflow.physics.ExactU1TwoD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gaugeflow analyze}: replicas of a 2D U(1) chain (two sample folders with different seeds and the four
 * chains of one hmc folder) combined by the replica formula reproduce the exact plaquette within 4 sigma.
 */
class AnalyzeCommandTest {

    @Test
    void replicasOfA2dU1ChainGiveTheExactPlaquette(@TempDir Path tmp) throws Exception {
        double exact = new ExactU1TwoD(2.0, 64).plaquette();
        for (int k = 0; k < 2; k++) {
            assertEquals(0, Main.execute("sample", "--chain", "hmc", "--group", "u1", "--lattice", "8x8", "--beta", "2",
                    "--n", "800", "--therm", "100", "--save-every", "0", "--seed", Integer.toString(11 + k), "--steps", "8",
                    "--out", tmp.resolve("r" + k).toString(), "--quiet"));
        }
        assertEquals(0, Main.execute("hmc", "--group", "u1", "--lattice", "8x8", "--beta", "2", "--chains", "4",
                "--trajectories", "500", "--therm", "50", "--steps", "8", "--seed", "13", "--out", tmp.resolve("h").toString(),
                "--quiet"));
        Path json = tmp.resolve("analysis.json");
        assertEquals(0, Main.execute("analyze", tmp.resolve("r0").toString(), tmp.resolve("r1").toString(),
                tmp.resolve("h").toString(), "--json", json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(6, r.get("replicas").size(), "2 sample folders + 4 hmc chains");
        JsonNode p = r.get("observables").get("plaquette");
        double mean = p.get("combined").get("mean").asDouble();
        double err = p.get("combined").get("error").asDouble();
        assertTrue(err > 0 && err < 0.003, "combined error " + err);
        assertEquals(exact, mean, 4 * err, "combined plaquette " + mean + " +- " + err + " vs exact " + exact);
        assertEquals(500 * 4 + 700 * 2, p.get("combined").get("n").asInt());
        assertTrue(p.get("q").asDouble() > 0, "replica consistency Q");
        assertTrue(r.get("observables").has("topological_charge_squared"));
        assertEquals(2, Main.execute("analyze", tmp.toString()), "a folder that is not a run");
    }
}
