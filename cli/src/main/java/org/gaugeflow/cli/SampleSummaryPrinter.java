package org.gaugeflow.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The few lines {@code sample} and {@code demo} print: measured against exact values where known. */
final class SampleSummaryPrinter {
    private SampleSummaryPrinter() {}

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> summary, PrintStream out) {
        Map<String, Object> obs = (Map<String, Object>) summary.get("observables");
        Map<String, Object> exact = (Map<String, Object>) summary.get("exact");
        StringBuilder acc = new StringBuilder();
        ((Map<String, Object>) summary.get("acceptance")).forEach((k, v) ->
                acc.append(String.format(Locale.ROOT, " %s %.3f", k, ((Number) v).doubleValue())));
        out.printf(Locale.ROOT, "%s chain, %s updates in %.1f s; acceptance%s%n", summary.get("chain"), summary.get("n"),
                ((Number) summary.get("seconds")).doubleValue(), acc);
        for (String name : new String[] {"plaquette", "topological_charge_squared", "topological_susceptibility"}) {
            Map<String, Object> o = (Map<String, Object>) obs.get(name);
            if (o == null || o.get("error") == null) continue;
            double mean = ((Number) o.get("mean")).doubleValue();
            double err = ((Number) o.get("error")).doubleValue();
            String line = String.format(Locale.ROOT, "%-28s %.6f +- %.6f  (tau_int %.2f)", name, mean, err,
                    ((Number) o.get("tau_int")).doubleValue());
            if (exact != null && exact.get(name) != null) {
                double ex = ((Number) exact.get(name)).doubleValue();
                line += String.format(Locale.ROOT, "   exact %.6f  (%+.1f sigma)", ex, err > 0 ? (mean - ex) / err : 0.0);
            }
            out.println(line);
        }
    }
}
