package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fig2U1CommandTest {

    /** A tiny run writes the CSV (one row per beta and model), the training curve and the PNG, and no temp files. */
    @Test
    void tinyRunWritesCsvCurveAndPlot(@TempDir Path dir) throws Exception {
        int rc = Main.execute("experiment", "fig2-u1", "--out", dir.toString(), "--budget-steps", "2", "--betas", "1,3",
                "--batch", "4", "--eval-samples", "8", "--eval-every", "1", "--curve-samples", "4", "--fine-layers", "1",
                "--flow-layers", "1", "--lattice", "4x4", "--scm-layers", "1");
        assertEquals(0, rc);
        List<String> csv = Files.readAllLines(dir.resolve("fig2-u1.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("1.0000,multiscale,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("1.0000,fine-flow,"), csv.get(2));
        for (String row : csv.subList(1, 5)) {
            double ess = Double.parseDouble(row.split(",")[6]);
            assertTrue(ess > 0 && ess <= 1, row);
        }
        assertEquals(1 + 4 * 3, Files.readAllLines(dir.resolve("fig2-u1-curve.csv")).size());
        byte[] png = Files.readAllBytes(dir.resolve("fig2-u1.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        String svg = Files.readString(dir.resolve("fig2-u1.svg"));
        assertTrue(svg.contains("<svg") && svg.contains("</svg>"), "an SVG next to the PNG");
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "only the four outputs remain (CSV, curve, PNG, SVG), no temporary file");
        }
    }

    @Test
    void badArgumentsExitWithTwo(@TempDir Path dir) {
        assertEquals(2, Main.execute("experiment", "fig2-u1", "--out", dir.toString(), "--budget-steps", "-1"));
        assertEquals(2, Main.execute("experiment", "fig2-u1", "--out", dir.toString(), "--lattice", "6x8"));
        assertEquals(2, Main.execute("experiment", "fig2-u1"));
    }
}
