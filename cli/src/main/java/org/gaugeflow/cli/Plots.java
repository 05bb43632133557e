package org.gaugeflow.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import javax.imageio.ImageIO;
import org.gaugeflow.experiments.Fig2Experiment;
import org.gaugeflow.experiments.Fig4Experiment;
import org.gaugeflow.hmc.HmcRun;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.training.TrainingMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every plot the command line draws (the library writes data, the command line draws it): training curves, chain
 * and HMC histories, the charge histogram, Fig. 2, side-by-side panels. Each is written as a PNG and, next to it
 * with the same name, as an SVG (vector graphics for papers); files are written atomically.
 */
final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** training.png: loss (left) and training-batch ESS (right) against the step. */
    static void training(Path file, List<TrainingMetrics.Row> rows, String title) throws IOException {
        if (rows.isEmpty()) return;
        double[] x = rows.stream().mapToDouble(TrainingMetrics.Row::step).toArray();
        XYChart loss = new XYChartBuilder().width(640).height(420).title(title + ": loss = KL - log Z").xAxisTitle("step").yAxisTitle("loss").build();
        loss.addSeries("loss", x, rows.stream().mapToDouble(TrainingMetrics.Row::loss).toArray()).setMarker(SeriesMarkers.NONE);
        loss.getStyler().setLegendVisible(false);
        XYChart ess = new XYChartBuilder().width(640).height(420).title(title + ": ESS (Eq. 4), training batch").xAxisTitle("step").yAxisTitle("ESS").build();
        ess.addSeries("ess", x, rows.stream().mapToDouble(TrainingMetrics.Row::ess).toArray()).setMarker(SeriesMarkers.NONE);
        ess.getStyler().setLegendVisible(false);
        sideBySide(loss, ess, file);
    }

    /** The history of one observable of a chain (at most ~5000 points drawn). */
    static void history(Path file, String title, String name, double[] update, double[] values) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(400).title(title).xAxisTitle("update").yAxisTitle(name).build();
        chart.addSeries(name, thin(update), thin(values)).setMarker(SeriesMarkers.NONE);
        chart.getStyler().setLegendVisible(false);
        save(file, chart);
    }

    /** Histogram of the topological charge (rounded to integers). */
    static void chargeHistogram(Path file, String title, double[] charges) throws IOException {
        TreeMap<Long, Integer> counts = new TreeMap<>();
        for (double q : charges) counts.merge(Math.round(q), 1, Integer::sum);
        if (counts.isEmpty()) counts.put(0L, 0);
        List<Long> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (long q = counts.firstKey(); q <= counts.lastKey(); q++) {
            x.add(q);
            y.add(counts.getOrDefault(q, 0));
        }
        CategoryChart chart = new CategoryChartBuilder().width(700).height(450).title(title)
                .xAxisTitle("topological charge Q").yAxisTitle("configurations").build();
        chart.addSeries("Q", x, y);
        chart.getStyler().setLegendVisible(false);
        save(file, chart);
    }

    /** Plaquette against trajectory for each HMC chain (at most 8), thermalization included. */
    static void hmcHistory(Path file, List<HmcRun.Row> rows, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle("trajectory").yAxisTitle("plaquette").build();
        int chains = 1 + rows.stream().mapToInt(HmcRun.Row::chain).max().orElse(0);
        for (int c = 0; c < Math.min(chains, 8); c++) {
            final int chain = c;
            double[] x = rows.stream().filter(r -> r.chain() == chain).mapToDouble(HmcRun.Row::trajectory).toArray();
            double[] y = rows.stream().filter(r -> r.chain() == chain).mapToDouble(HmcRun.Row::plaquette).toArray();
            chart.addSeries("chain " + c, thin(x), thin(y)).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setLegendVisible(chains > 1);
        save(file, chart);
    }

    /**
     * Fig. 2: ESS against beta of both models with bootstrap error bars, on a log axis (the fine flow's ESS can be
     * 1e-3 where the multiscale model's is near 1).
     */
    static void fig2(Path file, List<Fig2Experiment.Row> rows, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("beta").yAxisTitle("ESS").build();
        for (String kind : Fig2Experiment.KINDS) {
            List<Fig2Experiment.Row> rs = rows.stream().filter(r -> r.model().equals(kind)).toList();
            if (rs.isEmpty()) continue;
            chart.addSeries(kind.equals("multiscale") ? "multiscale + fine flow" : "fine-lattice flow alone",
                    rs.stream().mapToDouble(Fig2Experiment.Row::beta).toArray(),
                    rs.stream().mapToDouble(r -> Math.max(r.ess(), 1e-6)).toArray(),
                    rs.stream().mapToDouble(Fig2Experiment.Row::essError).toArray());
        }
        chart.getStyler().setYAxisLogarithmic(true).setYAxisMax(1.0);
        save(file, chart);
    }

    /**
     * Fig. 4: KL (Eq. (3), log Z of the best model at each beta; lower is better) and ESS against beta for the two
     * models, with error bars (the standard error of mean(log q + S) and the bootstrap error of the ESS). The ESS is on
     * a log axis, the KL on one where its values span a decade or more (a log axis labels only powers of ten). On a log
     * axis a KL that is not positive (possible only through the noise of the shared log Z) is drawn at 1e-3 and an error
     * bar that would reach zero is shortened to 99.9% of its value on both sides (the CSV has the errors); on a linear
     * axis values and errors are drawn as they are.
     */
    static void fig4(Path file, List<Fig4Experiment.Row> rows, String title) throws IOException {
        XYChart kl = new XYChartBuilder().width(860).height(480).title(title).xAxisTitle("beta")
                .yAxisTitle("KL (Eq. 3), log Z of the best model").build();
        XYChart ess = new XYChartBuilder().width(720).height(480).title("ESS (Eq. 4), bootstrap errors").xAxisTitle("beta")
                .yAxisTitle("ESS").build();
        double klMin = rows.stream().mapToDouble(r -> Math.max(r.kl(), 1e-3)).min().orElse(1);
        double klMax = rows.stream().mapToDouble(r -> Math.max(r.kl(), 1e-3)).max().orElse(1);
        boolean logKl = klMax >= 10 * klMin;
        for (String kind : Fig2Experiment.KINDS) {
            List<Fig4Experiment.Row> rs = rows.stream().filter(r -> r.model().equals(kind)).toList();
            if (rs.isEmpty()) continue;
            String label = kind.equals("multiscale") ? "multiscale + fine flow" : "fine-lattice flow alone";
            double[] beta = rs.stream().mapToDouble(Fig4Experiment.Row::beta).toArray();
            double[] k = rs.stream().mapToDouble(r -> logKl ? Math.max(r.kl(), 1e-3) : r.kl()).toArray();
            double[] kErr = rs.stream().mapToDouble(r -> Double.isFinite(r.lossError()) ? r.lossError() : 0).toArray();
            double[] e = rs.stream().mapToDouble(r -> Math.max(r.ess(), 1e-6)).toArray();
            kl.addSeries(label, beta, k, logKl ? onLogAxis(k, kErr) : kErr);
            ess.addSeries(label, beta, e, onLogAxis(e, rs.stream().mapToDouble(Fig4Experiment.Row::essError).toArray()));
        }
        kl.getStyler().setYAxisLogarithmic(logKl);
        ess.getStyler().setYAxisLogarithmic(true).setYAxisMax(1.0);
        sideBySide(kl, ess, file);
    }

    /** Error bars that stay above zero on a log axis: at most 99.9% of their value. */
    private static double[] onLogAxis(double[] values, double[] errors) {
        double[] out = new double[errors.length];
        for (int i = 0; i < out.length; i++) out[i] = Double.isFinite(errors[i]) ? Math.min(errors[i], 0.999 * values[i]) : 0;
        return out;
    }

    /** Two charts side by side in one PNG (and one SVG). */
    static void sideBySide(XYChart left, XYChart right, Path file) throws IOException {
        BufferedImage a = BitmapEncoder.getBufferedImage(left);
        BufferedImage c = BitmapEncoder.getBufferedImage(right);
        BufferedImage both = new BufferedImage(a.getWidth() + c.getWidth(), Math.max(a.getHeight(), c.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(c, a.getWidth(), 0, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(both, "png", png);
        write(file, png.toByteArray());
        VectorGraphics2D v = new VectorGraphics2D();
        left.paint(v, left.getWidth(), left.getHeight());
        v.translate(left.getWidth(), 0);
        right.paint(v, right.getWidth(), right.getHeight());
        writeSvg(file, v, left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()));
    }

    /** One chart as a PNG and an SVG. */
    static void save(Path file, Chart<?, ?> chart) throws IOException {
        write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        VectorGraphics2D v = new VectorGraphics2D();
        chart.paint(v, chart.getWidth(), chart.getHeight());
        writeSvg(file, v, chart.getWidth(), chart.getHeight());
    }

    /** The SVG next to {@code png}: the same name with .svg. */
    static Path svgOf(Path png) {
        String name = png.getFileName().toString();
        return png.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".svg");
    }

    private static void writeSvg(Path png, VectorGraphics2D v, double width, double height) throws IOException {
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        Processors.get("svg").getDocument(v.getCommands(), new PageSize(width, height)).writeTo(svg);
        write(svgOf(png), svg.toByteArray());
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        AtomicFileWriter.write(file, bytes);
    }

    /** At most ~5000 points in a line plot. */
    private static double[] thin(double[] a) {
        int stride = Math.max(1, a.length / 5000);
        if (stride == 1) return a;
        double[] out = new double[(a.length + stride - 1) / stride];
        for (int i = 0; i < out.length; i++) out[i] = a[i * stride];
        return out;
    }
}
