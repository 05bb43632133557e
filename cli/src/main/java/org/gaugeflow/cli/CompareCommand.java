package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingMetrics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow compare DIR... [--out FILE.png]}: several training runs side by side. It prints a
 * Markdown table of each run's final numbers (summary.json, and eval.json where {@code gaugeflow eval}
 * ran) and draws their KL and ESS curves (metrics.csv, a running mean over {@code --smooth} rows
 * because one training batch's ESS scatters) on log axes in one PNG.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Tabulate and plot several training runs (KL and ESS against the step).")
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run folders written by 'gaugeflow train'.")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Plot file (default: compare.png in the current folder).")
    Path out = Path.of("compare.png");

    @Option(names = "--smooth", paramLabel = "N", description = "Running mean over N metrics rows in the plot (default 10; 1: none).")
    int smooth = 10;

    @Option(names = "--title", description = "Plot title (default: none).")
    String title = "";

    @Override public Integer call() throws IOException {
        if (smooth < 1) throw new IllegalArgumentException("--smooth " + smooth + ": expected >= 1");
        if (!out.getFileName().toString().endsWith(".png")) throw new IllegalArgumentException("--out " + out + ": expected a .png file");
        ObjectMapper json = new ObjectMapper();
        XYChart kl = new XYChartBuilder().width(640).height(440).title(title.isEmpty() ? "KL (Eq. 3)" : title + ": KL")
                .xAxisTitle("step").yAxisTitle("KL (training batch)").build();
        XYChart ess = new XYChartBuilder().width(640).height(440).title(title.isEmpty() ? "ESS (Eq. 4)" : title + ": ESS")
                .xAxisTitle("step").yAxisTitle("ESS (training batch of B: >= 1/B)").build();
        kl.getStyler().setYAxisLogarithmic(true).setXAxisTickMarkSpacingHint(120);
        ess.getStyler().setYAxisLogarithmic(true).setXAxisTickMarkSpacingHint(120);
        System.out.println("| run | beta | steps | batch | training s | ESS (summary) | ESS (eval) | KL (summary) | log Z (summary) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Path dir : dirs) {
            Path metrics = dir.resolve(TrainingMetrics.FILE);
            if (!Files.isRegularFile(metrics)) {
                throw new IllegalArgumentException("run folder " + dir + ": " + TrainingMetrics.FILE + " not found; expected a folder written by 'gaugeflow train'");
            }
            List<TrainingMetrics.Row> rows = TrainingMetrics.read(metrics, Long.MAX_VALUE).rows();
            String name = uniqueName(dir, kl);
            if (!rows.isEmpty()) {
                double[] x = rows.stream().mapToDouble(TrainingMetrics.Row::step).toArray();
                kl.addSeries(name, x, runningMean(rows.stream().mapToDouble(TrainingMetrics.Row::kl).toArray(), smooth))
                        .setMarker(SeriesMarkers.NONE);
                ess.addSeries(name, x, runningMean(rows.stream().mapToDouble(TrainingMetrics.Row::ess).toArray(), smooth))
                        .setMarker(SeriesMarkers.NONE);
            }
            RunConfig cfg = RunConfig.load(dir.resolve("config.yaml"));
            JsonNode summary = readJson(json, dir.resolve("summary.json"));
            JsonNode eval = readJson(json, dir.resolve("eval.json"));
            String evalEss = eval == null ? "-" : String.format(Locale.ROOT, "%.4g(%.2g) of %d", eval.path("ess").asDouble(),
                    eval.path("ess_error").asDouble(), eval.path("samples").asLong());
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %s |%n", name, cfg.theory().beta(),
                    summary == null ? (rows.isEmpty() ? "0" : rows.get(rows.size() - 1).step() + " (running)") : summary.path("steps").asText(),
                    cfg.training().batch(),
                    summary == null ? "-" : String.format(Locale.ROOT, "%.0f", summary.path("seconds").asDouble()),
                    summary == null ? "-" : String.format(Locale.ROOT, "%.4g", summary.path("ess").asDouble()),
                    evalEss,
                    summary == null ? "-" : String.format(Locale.ROOT, "%.4g", summary.path("kl").asDouble()),
                    summary == null ? "-" : String.format(Locale.ROOT, "%.6g(%.2g)", summary.path("log_z").path("mean").asDouble(),
                            summary.path("log_z").path("error").asDouble()));
        }
        if (kl.getSeriesMap().isEmpty()) throw new IllegalArgumentException("no metrics rows in " + dirs + ": nothing to plot");
        Plots.sideBySide(kl, ess, out);
        System.out.println("plot: " + out);
        return 0;
    }

    /** The folder's name, or parent/name, or name #k: series names must differ (the same folder may come twice). */
    private static String uniqueName(Path dir, XYChart chart) {
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        if (chart.getSeriesMap().containsKey(name) && abs.getParent() != null && abs.getParent().getFileName() != null) {
            name = abs.getParent().getFileName() + "/" + name;
        }
        String base = name;
        for (int k = 2; chart.getSeriesMap().containsKey(name); k++) name = base + " #" + k;
        return name;
    }

    private static JsonNode readJson(ObjectMapper json, Path f) throws IOException {
        return Files.isRegularFile(f) ? json.readTree(f.toFile()) : null;
    }

    /** Mean of the last (up to) n values at each point; non-positive values (ESS underflow) are skipped. */
    static double[] runningMean(double[] v, int n) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            int c = 0;
            for (int j = Math.max(0, i - n + 1); j <= i; j++) {
                if (v[j] > 0) {
                    s += v[j];
                    c++;
                }
            }
            r[i] = c > 0 ? s / c : Double.NaN;
        }
        return r;
    }
}
