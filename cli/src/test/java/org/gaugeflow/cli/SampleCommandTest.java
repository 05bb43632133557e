package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaugeflow.experiments.Demo;
import org.gaugeflow.lattice.Lattice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
    @TempDir Path tmp;

    @Test
    void sampleWithASavedModelFolderThenResume() throws Exception {
        Path model = tmp.resolve("model");
        Demo.trainModel(model, Lattice.parse("4x4"), 1.0, 5, 1, null);
        Path out = tmp.resolve("out");
        String[] args = {"sample", "--model", model.toString(), "--chain", "hybrid", "--hmc-every", "1", "--flow-every",
            "2", "--n", "30", "--save-every", "10", "--out", out.toString(), "--engine", "torch", "--quiet", "--steps", "4"};
        assertEquals(0, Main.execute(args));
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(30, s.get("n").asLong());
        assertTrue(s.get("model_checksum").asText().startsWith("sha256:"));
        assertTrue(Files.exists(out.resolve("ensemble/cfg_00000030.ildg")));
        // again without --resume: refused (exit 2); with --resume and a larger n: continues
        assertEquals(2, Main.execute(args));
        String[] more = args.clone();
        more[10] = "45";
        String[] resume = java.util.Arrays.copyOf(more, more.length + 1);
        resume[more.length] = "--resume";
        assertEquals(0, Main.execute(resume));
        assertEquals(46, Files.readAllLines(out.resolve("history.csv")).size());
        for (String png : new String[] {"plaquette_history.png", "charge_history.png", "charge_histogram.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        Path out = tmp.resolve("o");
        assertEquals(2, Main.execute("sample", "--chain", "independence", "--n", "10", "--out", out.toString()));
        assertEquals(2, Main.execute("sample", "--chain", "sideways", "--n", "10", "--out", out.toString()));
        assertEquals(2, Main.execute("sample", "--chain", "hmc", "--group", "u1", "--lattice", "4x4", "--n", "10",
                "--out", out.toString()));   // no beta
        assertEquals(2, Main.execute("sample", "--model", tmp.toString(), "--n", "10", "--out", out.toString()));
    }
}
