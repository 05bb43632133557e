package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gaugeflow.experiments.Fig4Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fig. 4 plot with KL on a linear axis (within a decade, a missing error) and on a log axis (a KL below zero). */
class PlotsTest {

    private static Fig4Experiment.Row row(double beta, String model, double kl, double klError) {
        return new Fig4Experiment.Row(beta, model, 100, 10, 1, 1, 64, 0.01, 0.005, -kl, klError, 0, 0, 0, 0,
                "multiscale", kl);
    }

    private static BufferedImage plot(Path dir, String name, List<Fig4Experiment.Row> rows) throws Exception {
        Path png = dir.resolve(name + ".png");
        Plots.fig4(png, rows, "test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, name + ": not a readable PNG");
        return img;
    }

    @Test
    void linearKlAxisWithinADecadeTakesAMissingError(@TempDir Path dir) throws Exception {
        // KL 11.5 .. 30.4 (the SU(3) 240 s run's range) spans less than a decade: linear axis; one error is NaN.
        BufferedImage img = plot(dir, "linear", List.of(row(1, "multiscale", 11.5, 0.5), row(1, "fine-flow", 13.5, Double.NaN),
                row(2, "multiscale", 29.3, 0.9), row(2, "fine-flow", 30.4, 1.1)));
        assertEquals(860 + 720, img.getWidth());
    }

    @Test
    void logKlAxisClampsNonPositiveValues(@TempDir Path dir) throws Exception {
        BufferedImage img = plot(dir, "log", List.of(row(0.5, "multiscale", -0.2, 0.3), row(0.5, "fine-flow", 0.4, 0.5),
                row(2, "multiscale", 30, 1), row(2, "fine-flow", 580, 20)));
        assertEquals(860 + 720, img.getWidth());
    }
}
