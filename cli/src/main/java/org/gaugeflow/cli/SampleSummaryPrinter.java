package org.gaugeflow.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.gaugeflow.analysis.Reliability;

/**
 * The few lines {@code sample}, {@code demo} and {@code hmc} print: measured against exact values where known. A
 * result without an error bar (the chain did not move, the observable never changed) is printed as such, never as
 * {@code +- 0}; an unreliable error is marked with the reason (org.gaugeflow.analysis.Reliability).
 */
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
        Map<String, Object> prop = (Map<String, Object>) summary.get("proposals");
        if (prop != null && prop.get("pareto_k_limit") != null) {
            Object k = prop.get("pareto_k");
            out.printf(Locale.ROOT, "flow proposals: %s, Pareto k-hat %s (limit %.2f), ESS per proposal %.4f%n",
                    prop.get("count"), k == null ? "undefined" : String.format(Locale.ROOT, "%.2f", ((Number) k).doubleValue()),
                    ((Number) prop.get("pareto_k_limit")).doubleValue(), ((Number) prop.get("ess_per_proposal")).doubleValue());
        }
        for (String name : new String[] {"plaquette", "topological_charge_squared", "topological_susceptibility"}) {
            Map<String, Object> o = (Map<String, Object>) obs.get(name);
            if (o == null || o.get("mean") == null) continue;
            Object ex = exact == null ? null : exact.get(name);
            out.println(line(name, o, ex == null ? null : ((Number) ex).doubleValue()));
        }
        if (Boolean.FALSE.equals(summary.get("reliable"))) out.println("not reliable: " + summary.get("reason"));
    }

    /**
     * One observable: {@code name  mean +- error  (tau_int t)} and, with an exact value, the deviation in sigma; or
     * {@code name  mean (no error: reason)}.
     */
    static String line(String name, Map<String, Object> o, Double exact) {
        double mean = ((Number) o.get("mean")).doubleValue();
        double err = o.get("error") == null ? Double.NaN : ((Number) o.get("error")).doubleValue();
        Reliability r = Boolean.FALSE.equals(o.get("reliable")) ? Reliability.not(String.valueOf(o.get("reason")))
                : Reliability.ok();
        boolean hasError = err > 0 && Double.isFinite(err);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s ", name));
        if (hasError) {
            line.append(String.format(Locale.ROOT, "%.6f +- %.6f  (tau_int %.2f)", mean, err,
                    ((Number) o.get("tau_int")).doubleValue()));
            if (exact != null) {
                line.append(String.format(Locale.ROOT, "   exact %.6f  (%+.1f sigma)", exact, (mean - exact) / err));
            }
            if (!r.reliable()) line.append("  unreliable: ").append(r.reason());
        } else {
            line.append(r.format(mean, err));
            if (exact != null) line.append(String.format(Locale.ROOT, "   exact %.6f", exact));
        }
        return line.toString();
    }
}
