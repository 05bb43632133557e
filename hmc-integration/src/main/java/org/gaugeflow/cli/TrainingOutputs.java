package org.gaugeflow.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.gaugeflow.training.Checkpoint;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run folder's metrics.csv (rewritten atomically) and training.png (loss and ESS curves). */
final class TrainingOutputs {
    static final String METRICS = "metrics.csv";
    static final String PLOT = "training.png";
    static final String HEADER = "step,loss,loss_error,kl,ess,log_z,log_z_error,lr,grad_norm,seconds";

    /** One metrics row. */
    record Row(long step, double loss, double lossError, double kl, double ess, double logZ, double logZError,
               double lr, double gradNorm, double seconds) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%.8g,%.4g,%.8g,%.6g,%.8g,%.4g,%.6g,%.6g,%.3f", step, loss, lossError, kl, ess,
                    logZ, logZError, lr, gradNorm, seconds);
        }

        static Row parse(String line) {
            String[] f = line.split(",");
            return new Row(Long.parseLong(f[0]), d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), d(f[7]), d(f[8]), d(f[9]));
        }

        private static double d(String s) { return Double.parseDouble(s); }
    }

    private final Path dir;
    private final List<Row> rows = new ArrayList<>();

    TrainingOutputs(Path dir) { this.dir = dir; }

    List<Row> rows() { return rows; }

    /** On resume: reads metrics.csv and drops rows after the checkpoint's step (no duplicates, no gap). */
    void loadUpTo(long step) throws IOException {
        rows.clear();
        Path f = dir.resolve(METRICS);
        if (!Files.exists(f)) return;
        for (String line : Files.readAllLines(f)) {
            if (line.isBlank() || line.startsWith("step")) continue;
            Row r = Row.parse(line);
            if (r.step() <= step) rows.add(r);
        }
    }

    void add(Row r) { rows.add(r); }

    void writeMetrics() throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) b.append(r.csv()).append('\n');
        Checkpoint.writeAtomically(dir.resolve(METRICS), b.toString());
    }

    /** training.png: loss (left) and ESS (right) against the step. */
    void writePlot(String title) throws IOException {
        if (rows.isEmpty()) return;
        System.setProperty("java.awt.headless", "true");
        double[] x = rows.stream().mapToDouble(Row::step).toArray();
        XYChart loss = new XYChartBuilder().width(640).height(420).title(title + ": loss = KL - log Z").xAxisTitle("step").yAxisTitle("loss").build();
        loss.addSeries("loss", x, rows.stream().mapToDouble(Row::loss).toArray()).setMarker(SeriesMarkers.NONE);
        loss.getStyler().setLegendVisible(false);
        XYChart ess = new XYChartBuilder().width(640).height(420).title(title + ": ESS (Eq. 4), training batch").xAxisTitle("step").yAxisTitle("ESS").build();
        ess.addSeries("ess", x, rows.stream().mapToDouble(Row::ess).toArray()).setMarker(SeriesMarkers.NONE);
        ess.getStyler().setLegendVisible(false);
        writeSideBySide(loss, ess, dir.resolve(PLOT));
    }

    /** Two charts side by side in one PNG, written to a temporary name and renamed. */
    static void writeSideBySide(XYChart left, XYChart right, Path file) throws IOException {
        BufferedImage a = BitmapEncoder.getBufferedImage(left);
        BufferedImage c = BitmapEncoder.getBufferedImage(right);
        BufferedImage both = new BufferedImage(a.getWidth() + c.getWidth(), Math.max(a.getHeight(), c.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(c, a.getWidth(), 0, null);
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ImageIO.write(both, "png", out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
