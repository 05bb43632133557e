package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gaugeflow.hmc.HmcRun;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The files of {@code gaugeflow hmc} (docs/hmc.md): summary.json, history.csv, plaquette_history.png. */
final class HmcOutputs {

    static final String SUMMARY = "summary.json";
    static final String HISTORY = "history.csv";
    static final String PLOT = "plaquette_history.png";

    private HmcOutputs() {
    }

    static void writeSummary(Path dir, Map<String, Object> summary) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(dir.resolve(SUMMARY), mapper.writeValueAsString(summary) + "\n");
    }

    /** trajectory,chain,thermalization,dH,accepted,plaquette[,Q] */
    static void writeHistory(Path dir, List<HmcRun.Row> rows, boolean charge) throws IOException {
        StringBuilder b = new StringBuilder("trajectory,chain,thermalization,dH,accepted,plaquette");
        b.append(charge ? ",Q\n" : "\n");
        for (HmcRun.Row r : rows) {
            b.append(r.trajectory()).append(',').append(r.chain()).append(',').append(r.thermalization() ? 1 : 0)
                    .append(',').append(String.format(Locale.ROOT, "%.17g", r.deltaH()))
                    .append(',').append(r.accepted() ? 1 : 0)
                    .append(',').append(String.format(Locale.ROOT, "%.17g", r.plaquette()));
            if (charge) {
                b.append(',').append(Math.round(r.charge()));
            }
            b.append('\n');
        }
        AtomicFiles.write(dir.resolve(HISTORY), b.toString());
    }

    /** Plaquette against trajectory for each chain, thermalization included. */
    static void writePlot(Path dir, List<HmcRun.Row> rows, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title)
                .xAxisTitle("trajectory").yAxisTitle("plaquette").build();
        int chains = 1 + rows.stream().mapToInt(HmcRun.Row::chain).max().orElse(0);
        for (int c = 0; c < Math.min(chains, 8); c++) {
            final int chain = c;
            double[] x = rows.stream().filter(r -> r.chain() == chain).mapToDouble(HmcRun.Row::trajectory).toArray();
            double[] y = rows.stream().filter(r -> r.chain() == chain).mapToDouble(HmcRun.Row::plaquette).toArray();
            chart.addSeries("chain " + c, x, y).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setLegendVisible(chains > 1);
        AtomicFiles.write(dir.resolve(PLOT), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
