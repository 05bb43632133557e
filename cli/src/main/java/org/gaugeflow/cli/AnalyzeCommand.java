package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gaugeflow.ensemble.ReplicaEnsemble;
import org.gaugeflow.io.AtomicFileWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow analyze DIR... [--json FILE] [--therm N]}: replicas of an ensemble combined by the Gamma method's
 * replica formula ({@link ReplicaEnsemble}); prints a table per observable and writes the JSON.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Combine replicas (sample or hmc run folders) with the Gamma method's replica formula (Wolff 2004, Sec. 3.3).")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run folders of 'gaugeflow sample' or 'gaugeflow hmc' (one replica each; every hmc chain is a replica).")
    List<Path> dirs;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path json;

    @Option(names = "--therm", paramLabel = "N", description = "Updates left out of each sample replica (default: its own therm).")
    Long therm;

    @Override
    public Integer call() throws Exception {
        if (therm != null && therm < 0) throw new IllegalArgumentException("--therm " + therm + ": expected >= 0");
        Map<String, Object> r = ReplicaEnsemble.analyze(dirs, therm);
        print(r, System.out);
        if (json != null) {
            AtomicFileWriter.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n");
        }
        return 0;
    }

    /** The tables of an analysis ({@link ReplicaEnsemble#analyze}): per observable, each replica and the combination. */
    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> r, java.io.PrintStream out) {
        out.println(r.get("theory") + ", " + ((List<?>) r.get("replicas")).size() + " replicas");
        ((Map<String, Object>) r.get("observables")).forEach((name, v) -> {
            Map<String, Object> o = (Map<String, Object>) v;
            out.println();
            out.println("| " + name + " | mean | error | tau_int | n |");
            out.println("|---|---|---|---|---|");
            for (Object e : (List<Object>) o.get("replicas")) {
                Map<String, Object> m = (Map<String, Object>) e;
                out.println(row(String.valueOf(m.get("replica")), m));
            }
            out.println(row("**combined**", (Map<String, Object>) o.get("combined")));
            Object q = o.get("q");
            if (q != null) {
                out.printf(Locale.ROOT, "replica consistency: chi2 = %.2f for %s dof, Q = %.3g%n", o.get("chi2"), o.get("dof"), q);
            }
        });
    }

    private static String row(String name, Map<String, Object> m) {
        return String.format(Locale.ROOT, "| %s | %.8f | %.8f | %.2f(%.2f) | %s |", name, m.get("mean"), m.get("error"),
                m.get("tau_int"), m.get("tau_int_error"), m.get("n"));
    }
}
