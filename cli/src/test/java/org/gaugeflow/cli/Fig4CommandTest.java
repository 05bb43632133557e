package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fig4CommandTest {

    /**
     * A tiny 4D U(1) run (2^4 -> 4^4) writes one CSV row per beta and model, the plot as PNG and SVG, and nothing else.
     * The KL of every model at a beta uses the log Z of the model with the lowest loss (the paper's rule): that model's
     * KL is its loss + its own log Z estimate, which is >= 0 (log mean w >= mean log w), and the other model's KL is
     * not below it.
     */
    @Test
    void tinyRunWritesRowsWithTheSharedLogZ(@TempDir Path dir) throws Exception {
        int rc = Main.execute("experiment", "fig4", "--group", "u1", "--out", dir.toString(), "--budget-steps", "2",
                "--betas", "0.5,1", "--batch", "2", "--eval-samples", "16", "--bootstrap", "20", "--fine-layers", "1",
                "--flow-layers", "1", "--cnn-hidden", "2", "--scm-hidden", "2", "--threads", "1");
        assertEquals(0, rc);
        List<String> csv = Files.readAllLines(dir.resolve("fig4-u1.csv"));
        List<String> header = Arrays.asList(csv.get(0).split(","));
        assertEquals(5, csv.size(), String.join("\n", csv));
        int loss = header.indexOf("loss");
        int logZ = header.indexOf("log_z");
        int ref = header.indexOf("log_z_ref");
        int refModel = header.indexOf("log_z_ref_model");
        int kl = header.indexOf("kl");
        int ess = header.indexOf("ess");
        for (int beta = 0; beta < 2; beta++) {
            String[] a = csv.get(1 + 2 * beta).split(",");
            String[] b = csv.get(2 + 2 * beta).split(",");
            assertEquals("multiscale", a[1]);
            assertEquals("fine-flow", b[1]);
            assertEquals(a[0], b[0], "one beta per pair");
            assertEquals(a[ref], b[ref], "the same log Z for both models at a beta");
            assertEquals(a[refModel], b[refModel]);
            String[] best = a[refModel].equals("multiscale") ? a : b;
            String[] other = best == a ? b : a;
            assertEquals(Double.parseDouble(best[logZ]), Double.parseDouble(best[ref]), 1e-6 * Math.abs(Double.parseDouble(best[ref])));
            assertTrue(Double.parseDouble(best[loss]) <= Double.parseDouble(other[loss]), "the reference has the lowest loss");
            assertTrue(Double.parseDouble(best[kl]) >= -1e-9, "KL of the reference model >= 0: " + best[kl]);
            assertTrue(Double.parseDouble(other[kl]) >= Double.parseDouble(best[kl]));
            for (String[] r : new String[][] {a, b}) {
                assertEquals(Double.parseDouble(r[loss]) + Double.parseDouble(r[ref]), Double.parseDouble(r[kl]), 1e-4);
                double e = Double.parseDouble(r[ess]);
                assertTrue(e > 0 && e <= 1, "ESS " + e);
                assertEquals("4x4x4x4", r[header.indexOf("lattice")]);
            }
        }
        byte[] png = Files.readAllBytes(dir.resolve("fig4-u1.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        assertTrue(Files.readString(dir.resolve("fig4-u1.svg")).contains("</svg>"));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "CSV, PNG and SVG, no temporary file");
        }
    }

    @Test
    void badArgumentsExitWithTwo(@TempDir Path dir) {
        assertEquals(2, Main.execute("experiment", "fig4", "--out", dir.toString()));                       // no --group
        assertEquals(2, Main.execute("experiment", "fig4", "--group", "u7", "--out", dir.toString()));
        assertEquals(2, Main.execute("experiment", "fig4", "--group", "u1", "--out", dir.toString(), "--lattice", "4x4x4x6"));
    }
}
