package org.gaugeflow.ensemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.gaugeflow.io.AtomicFileWriter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a chain: the history of each observable and the histogram of the topological charge. */
final class ChainPlots {
    private ChainPlots() {}

    static void history(Path file, String title, String name, double[] update, double[] values) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(400).title(title).xAxisTitle("update")
                .yAxisTitle(name).build();
        chart.addSeries(name, thin(update), thin(values)).setMarker(SeriesMarkers.NONE);
        chart.getStyler().setLegendVisible(false);
        save(file, chart);
    }

    static void chargeHistogram(Path file, String title, double[] charges) throws IOException {
        System.setProperty("java.awt.headless", "true");
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

    /** At most ~5000 points in a line plot. */
    private static double[] thin(double[] a) {
        int stride = Math.max(1, a.length / 5000);
        if (stride == 1) return a;
        double[] out = new double[(a.length + stride - 1) / stride];
        for (int i = 0; i < out.length; i++) out[i] = a[i * stride];
        return out;
    }

    private static void save(Path file, Chart<?, ?> chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFileWriter.write(file, ch -> ch.write(java.nio.ByteBuffer.wrap(png)));
    }
}
