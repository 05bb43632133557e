package org.gaugeflow.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.analysis.ReplicaAnalysis;
import org.gaugeflow.observables.StandardObservables;

/**
 * Replicas of one ensemble analyzed together ({@code gaugeflow analyze DIR...}): each folder is a replica (a
 * {@code gaugeflow sample} run folder, its measurements after its own thermalization; or a {@code gaugeflow hmc}
 * folder, each of its chains after thermalization). For every observable of history.csv (and Q^2 and the
 * topological susceptibility Q^2/V where the charge is measured) the replicas are combined by
 * {@link ReplicaAnalysis} (Wolff 2004 Sec. 3.3), with per-replica values, tau_int and errors, and the consistency
 * chi^2 and Q-value of the replica means. All replicas must be of the same theory (group, lattice, beta).
 *
 * <p>Producing replicas ({@code gaugeflow sample ... --replicas R}, docs/distributed.md): replica r of R uses the seed
 * {@link #seed}(S, r) = S + r, writes the folder {@link #folder}(OUT, r) = OUT/replica-r and carries the chain id
 * {@link #chainId}; {@link #replicasOf} says which replicas a process runs (rank k of W runs k, k + W, ...).
 */
public final class ReplicaEnsemble {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicaEnsemble() {}

    /** The seed of replica {@code r} of a run seeded with {@code seed}: seed + r. */
    public static long seed(long seed, int r) { return seed + r; }

    /** The folder of replica {@code r}: OUT/replica-r. */
    public static Path folder(Path out, int r) { return out.resolve("replica-" + r); }

    /** The chain id of replica {@code r} of a chain named {@code base}: base-r. */
    public static String chainId(String base, int r) { return base + "-" + r; }

    /**
     * The replicas of {@code replicas} that rank {@code rank} of {@code worldSize} runs, one after another: rank,
     * rank + worldSize, ... (all of them in a single process).
     */
    public static List<Integer> replicasOf(int replicas, int rank, int worldSize) {
        if (replicas < 1) throw new IllegalArgumentException("--replicas " + replicas + ": expected >= 1");
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " of " + worldSize + ": expected 0 <= rank < world size");
        }
        List<Integer> mine = new ArrayList<>();
        for (int r = rank; r < replicas; r += worldSize) mine.add(r);
        return mine;
    }

    /** The folders of {@code replicas} replicas under {@code out}. */
    public static List<Path> folders(Path out, int replicas) {
        List<Path> dirs = new ArrayList<>();
        for (int r = 0; r < replicas; r++) dirs.add(folder(out, r));
        return dirs;
    }

    /** One replica: its name and its measurement series by observable. */
    record Replica(String name, Map<String, double[]> series) {}

    /**
     * Analyzes the run folders; {@code therm} (null: each folder's own) overrides the updates left out of sample
     * folders. Returns the JSON-ready result: theory, replicas, and per observable the combined and per-replica values.
     */
    public static Map<String, Object> analyze(List<Path> dirs, Long therm) throws IOException {
        if (dirs.isEmpty()) throw new IllegalArgumentException("analyze: expected at least one run folder");
        List<Replica> reps = new ArrayList<>();
        String theory = null;
        for (Path dir : dirs) {
            Path summary = dir.resolve(SampleRun.SUMMARY);
            Path history = dir.resolve(SampleRun.HISTORY);
            if (!Files.isRegularFile(history) || !Files.isRegularFile(summary)) {
                throw new IllegalArgumentException("run folder " + dir + ": history.csv or summary.json missing; expected a finished "
                        + "'gaugeflow sample' or 'gaugeflow hmc' run");
            }
            JsonNode s = JSON.readTree(summary.toFile());
            JsonNode p = s.path("parameters");
            String th = p.path("group").asText() + " " + p.path("lattice").asText() + " beta=" + p.path("beta").asDouble();
            if (theory == null) theory = th;
            else if (!theory.equals(th)) throw new IllegalArgumentException("run folder " + dir + ": " + th + ", expected " + theory + " like the first replica");
            long volume = 1;
            for (String e : p.path("lattice").asText().split("x")) volume *= Long.parseLong(e);
            if (s.path("command").asText().equals("hmc")) reps.addAll(hmcChains(dir, history, volume));
            else reps.add(sampleReplica(dir, history, therm != null ? therm : s.path("therm").asLong(0), volume));
        }
        Set<String> names = new LinkedHashSet<>(reps.get(0).series().keySet());
        for (Replica r : reps) names.retainAll(r.series().keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("theory", theory);
        out.put("replicas", reps.stream().map(Replica::name).toList());
        Map<String, Object> obs = new LinkedHashMap<>();
        for (String name : names) {
            double[][] series = reps.stream().map(r -> r.series().get(name)).toArray(double[][]::new);
            ReplicaAnalysis a = ReplicaAnalysis.of(series);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("combined", json(a.combined()));
            List<Object> each = new ArrayList<>();
            for (int k = 0; k < reps.size(); k++) {
                Map<String, Object> e = json(a.replicas().get(k));
                e.put("replica", reps.get(k).name());
                each.add(e);
            }
            o.put("replicas", each);
            o.put("chi2", Double.isNaN(a.chi2()) ? null : a.chi2());
            o.put("dof", a.dof());
            o.put("q", Double.isNaN(a.q()) ? null : a.q());
            obs.put(name, o);
        }
        out.put("observables", obs);
        return out;
    }

    private static Replica sampleReplica(Path dir, Path history, long therm, long volume) throws IOException {
        Map<String, double[]> cols = SampleRun.readHistory(history, therm);
        Map<String, double[]> series = new LinkedHashMap<>();
        for (var e : cols.entrySet()) {
            String k = e.getKey();
            if (k.equals("update") || k.equals("accepted") || k.equals("log_q") || k.equals("log_weight")
                    || k.equals(SampleRun.PROPOSAL_LOG_RATIO)) continue;
            series.put(k, e.getValue());
        }
        addChargeSquared(series, StandardObservables.CHARGE, volume);
        return new Replica(dir.toString(), series);
    }

    /** Each chain of an hmc folder is a replica: its rows after thermalization. */
    private static List<Replica> hmcChains(Path dir, Path history, long volume) throws IOException {
        List<String> lines = Files.readAllLines(history);
        String[] head = lines.get(0).split(",");
        int chainCol = List.of(head).indexOf("chain");
        int thermCol = List.of(head).indexOf("thermalization");
        Map<Integer, Map<String, List<Double>>> byChain = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f[thermCol].equals("1")) continue;
            Map<String, List<Double>> m = byChain.computeIfAbsent(Integer.parseInt(f[chainCol]), c -> new LinkedHashMap<>());
            for (int c = 0; c < head.length; c++) {
                String name = head[c].equals("Q") ? StandardObservables.CHARGE : head[c];
                if (name.equals(StandardObservables.PLAQUETTE) || name.equals(StandardObservables.CHARGE)) {
                    m.computeIfAbsent(name, x -> new ArrayList<>()).add(Double.parseDouble(f[c]));
                }
            }
        }
        List<Replica> out = new ArrayList<>();
        for (var e : byChain.entrySet()) {
            Map<String, double[]> series = new LinkedHashMap<>();
            e.getValue().forEach((k, v) -> series.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
            addChargeSquared(series, StandardObservables.CHARGE, volume);
            out.add(new Replica(dir + "#chain" + e.getKey(), series));
        }
        return out;
    }

    private static void addChargeSquared(Map<String, double[]> series, String charge, long volume) {
        double[] q = series.get(charge);
        if (q == null) return;
        double[] q2 = new double[q.length];
        double[] chi = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            q2[i] = q[i] * q[i];
            chi[i] = q2[i] / volume;
        }
        series.put(StandardObservables.CHARGE_SQUARED, q2);
        series.put("topological_susceptibility", chi);
    }

    private static Map<String, Object> json(GammaResult g) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mean", g.mean());
        o.put("error", g.error());
        o.put("tau_int", g.tauInt());
        o.put("tau_int_error", g.tauIntError());
        o.put("n", g.n());
        return o;
    }
}
