package org.gaugeflow.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.analysis.ParetoTail;
import org.gaugeflow.analysis.ReweightingStats;
import org.gaugeflow.analysis.Reliability;
import org.gaugeflow.chain.ChainCheckpoint;
import org.gaugeflow.chain.ChainState;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.chain.UpdateKind;
import org.gaugeflow.chain.UpdateRecord;
import org.gaugeflow.group.U1;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.io.CsvTable;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.observables.StandardObservables;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.tensor.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production of an ensemble with a {@link HybridChain} into a folder OUT (docs/chains.md):
 * OUT/history.csv (one row per update), OUT/ensemble/cfg_*.ildg and OUT/ensemble/index.csv every K updates,
 * OUT/checkpoint.bin every C updates (atomic), and at the end OUT/summary.json (observables with Gamma-method
 * errors and tau_int, acceptance per update kind) and plots. With {@code resume}, a run continues from
 * OUT/checkpoint.bin: history and index are cut back to the checkpoint and files after it are rewritten,
 * so the result equals an uninterrupted run with the same seeds.
 *
 * <p>OUT is a {@link RunFolder} (locked while the run lasts, {@code run.json} with the chain's settings, compared on
 * resume except for {@link #MAY_CHANGE}); the memory the chain needs is checked first
 * ({@link HybridChain.Builder#memoryEstimate}). The summary says whether its errors can be trusted
 * ({@link Reliability}: {@code "reliable"}, per observable and overall).
 */
public final class SampleRun {
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String HISTORY = "history.csv";
    public static final String SUMMARY = "summary.json";
    public static final String ENSEMBLE = "ensemble";
    /** The history.csv column with each flow proposal's log p/q = -S - log q (nan on HMC rows). */
    public static final String PROPOSAL_LOG_RATIO = "proposal_log_p_over_q";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(SampleRun.class);

    /**
     * Settings that may change on resume: the total number of updates (to extend a chain), the updates left out of
     * the averages and the checkpoint interval (neither changes the chain), and the path of the model (its checksum,
     * which identifies it, may not change).
     */
    public static final Set<String> MAY_CHANGE = Set.of("n", "therm", "checkpoint_every", "parameters.model");

    /**
     * @param out             output folder
     * @param n               total number of updates of the chain (a resumed run does the rest)
     * @param saveEvery       an ILDG file every this many updates (0: none)
     * @param checkpointEvery a checkpoint every this many updates (>= 1)
     * @param therm           updates left out of the summary's averages
     * @param mode            a new chain, resume from OUT/checkpoint.bin, or overwrite ({@link RunFolder.Mode})
     * @param ildgPrecision   precision of the ILDG files
     * @param stopAfter       stop (as if killed) after this many updates of this process; -1 for never (tests)
     */
    public record Settings(Path out, long n, long saveEvery, long checkpointEvery, long therm, RunFolder.Mode mode,
            Precision ildgPrecision, long stopAfter) {
        /** Settings with {@code resume} choosing between {@link RunFolder.Mode#RESUME} and {@link RunFolder.Mode#NEW}. */
        public Settings(Path out, long n, long saveEvery, long checkpointEvery, long therm, boolean resume,
                Precision ildgPrecision, long stopAfter) {
            this(out, n, saveEvery, checkpointEvery, therm, resume ? RunFolder.Mode.RESUME : RunFolder.Mode.NEW,
                    ildgPrecision, stopAfter);
        }

        /** Checks the numbers. */
        public Settings {
            if (mode == null) mode = RunFolder.Mode.NEW;
            if (n < 1) throw new IllegalArgumentException("n = " + n + ": expected >= 1");
            if (saveEvery < 0) throw new IllegalArgumentException("save-every = " + saveEvery + ": expected >= 0");
            if (checkpointEvery < 1) {
                throw new IllegalArgumentException("checkpoint-every = " + checkpointEvery + ": expected >= 1");
            }
            if (therm < 0 || therm >= n) {
                throw new IllegalArgumentException("therm = " + therm + ": expected 0 <= therm < n = " + n);
            }
        }
    }

    /** Told after every update (for progress bars). */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total, ChainState state);
    }

    private SampleRun() {}

    /**
     * Runs the chain to {@code settings.n()} updates and writes the outputs; returns the summary (null when
     * stopped early by {@code stopAfter}). {@code parameters} go into the summary as they are.
     */
    public static Map<String, Object> run(HybridChain.Builder chainSettings, Settings s, Map<String, Object> parameters,
            Progress progress) throws IOException {
        String version = GaugeflowVersion.describe();
        RunFolder folder;
        try {
            chainSettings.memoryEstimate(s.n()).require();
            folder = RunFolder.open(s.out(), new RunFolder.Request("sample", configuration(chainSettings, s, parameters),
                    Map.of("seed", chainSettings.seed()), s.mode(), MAY_CHANGE));
        } catch (IOException | RuntimeException e) {
            chainSettings.discard();
            throw e;
        }
        try (folder) {
            return run(chainSettings, s, parameters, progress, folder, version);
        }
    }

    /** The settings recorded in run.json and compared on resume. */
    public static Map<String, Object> configuration(HybridChain.Builder chain, Settings s, Map<String, Object> parameters) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("chain", chain.configuration());
        c.put("n", s.n());
        c.put("save_every", s.saveEvery());
        c.put("checkpoint_every", s.checkpointEvery());
        c.put("therm", s.therm());
        c.put("ildg_precision", s.ildgPrecision().label());
        c.put("parameters", parameters == null ? Map.of() : parameters);
        return c;
    }

    private static Map<String, Object> run(HybridChain.Builder chainSettings, Settings s, Map<String, Object> parameters,
            Progress progress, RunFolder folder, String version) throws IOException {
        Path ckpt = s.out().resolve(CHECKPOINT);
        boolean resuming = !folder.fresh() && Files.isRegularFile(ckpt);
        double secondsBefore = 0;
        ChainCheckpoint loaded = null;
        if (resuming) {
            loaded = ChainCheckpoint.read(ckpt);
            JsonNode extra = loaded.header().get("extra");
            if (extra != null && extra.has("seconds")) secondsBefore = extra.get("seconds").asDouble();
        }
        long t0 = System.nanoTime();
        HybridChain built;
        try {
            built = resuming ? chainSettings.resume(loaded) : chainSettings.build();
        } catch (IOException | RuntimeException e) {
            chainSettings.discard();
            throw e;
        }
        try (HybridChain chain = built) {
            folder.markStarted();
            HybridChain.Builder cfg = chain.config();
            String[] names = chain.observableNames();
            long at = chain.state().updates();
            if (resuming) LOG.info("resuming the chain in {} at update {} of {}", s.out(), at, s.n());
            if (at > s.n()) {
                throw new IllegalArgumentException("n = " + s.n() + ": the checkpoint is at update " + at
                        + "; expected n >= " + at);
            }
            Path historyFile = s.out().resolve(HISTORY);
            String header = "update,kind,accepted,log_q,log_weight," + PROPOSAL_LOG_RATIO + "," + String.join(",", names);
            // a chain started by gaugeflow before 2026-12 has no proposal column: it resumes in its own format
            String legacy = "update,kind,accepted,log_q,log_weight," + String.join(",", names);
            boolean withRatio = !(resuming && legacy.equals(CsvTable.firstLine(historyFile)));
            if (!withRatio) header = legacy;
            try (CsvTable history = resuming ? CsvTable.resume(historyFile, header, at) : CsvTable.create(historyFile, header);
                 EnsembleWriter ensemble = s.saveEvery() > 0
                         ? new EnsembleWriter(s.out().resolve(ENSEMBLE), cfg.chainId(), cfg.beta(), cfg.modelChecksum(),
                                 s.ildgPrecision(), version, names, resuming ? at : -1, folder.created())
                         : null) {
                final double before = secondsBefore;
                long todo = s.n() - at;
                boolean stopped = s.stopAfter() >= 0 && s.stopAfter() < todo;
                long steps = stopped ? s.stopAfter() : todo;
                chain.run(steps, (UpdateRecord r, ChainState st) -> {
                    history.append(row(r, withRatio));
                    if (ensemble != null && r.update() % s.saveEvery() == 0) ensemble.save(r, st);
                    if (r.update() % s.checkpointEvery() == 0 || r.update() == s.n()) {
                        history.flush();
                        if (ensemble != null) ensemble.flush();
                        chain.writeCheckpoint(ckpt, Map.of("seconds", before + (System.nanoTime() - t0) * 1e-9));
                    }
                    if (progress != null) progress.update(r.update(), s.n(), st);
                });
                history.flush();
                if (ensemble != null) ensemble.flush();
                if (stopped) return null;
            }
            double seconds = secondsBefore + (System.nanoTime() - t0) * 1e-9;
            Map<String, Object> summary = summarize(chain, s, historyFile, seconds, parameters, version);
            if (!Boolean.TRUE.equals(summary.get("reliable"))) {
                LOG.warn("{}: the result is not reliable: {}", s.out(), summary.get("reason"));
            }
            byte[] json = (JSON.writeValueAsString(summary) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFileWriter.write(s.out().resolve(SUMMARY), ch -> ch.write(java.nio.ByteBuffer.wrap(json)));
            return summary;
        }
    }

    static String row(UpdateRecord r, boolean withRatio) {
        StringBuilder b = new StringBuilder().append(r.update()).append(',').append(r.kind().label()).append(',')
                .append(r.accepted() ? 1 : 0).append(',').append(num(r.logQ())).append(',').append(num(r.logWeight()));
        if (withRatio) b.append(',').append(num(r.proposalLogRatio()));
        for (double v : r.observables()) b.append(',').append(num(v));
        return b.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "nan";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /** Columns of history.csv as arrays (the rows after {@code therm}). */
    public static Map<String, double[]> readHistory(Path historyFile, long therm) throws IOException {
        List<String> lines = Files.readAllLines(historyFile, StandardCharsets.UTF_8);
        String[] head = lines.get(0).split(",");
        List<String[]> rows = CsvTable.rows(historyFile);
        rows.removeIf(r -> Long.parseLong(r[0]) <= therm);
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (int c = 0; c < head.length; c++) {
            if (head[c].equals("kind")) continue;
            double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++) {
                String x = rows.get(i)[c];
                v[i] = x.equals("nan") ? Double.NaN : Double.parseDouble(x);
            }
            cols.put(head[c], v);
        }
        return cols;
    }

    private static Map<String, Object> summarize(HybridChain chain, Settings s, Path historyFile, double seconds,
            Map<String, Object> parameters, String version) throws IOException {
        HybridChain.Builder cfg = chain.config();
        Map<String, double[]> cols = readHistory(historyFile, s.therm());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "sample");
        m.put("gaugeflow", version);
        Schedule sch = cfg.schedule();
        m.put("chain", sch.usesFlow() && sch.usesHmc() ? "hybrid" : sch.usesFlow() ? "independence" : "hmc");
        m.put("chain_id", cfg.chainId());
        m.put("n", chain.state().updates());
        m.put("therm", s.therm());
        m.put("measurements", chain.state().updates() - s.therm());
        m.put("seconds", seconds);
        Map<String, Object> acc = new LinkedHashMap<>();
        for (UpdateKind k : UpdateKind.values()) {
            if (chain.state().proposed(k) > 0) acc.put(k.label(), chain.state().acceptance(k));
        }
        m.put("acceptance", acc);
        long proposed = 0;
        long accepted = 0;
        for (UpdateKind k : UpdateKind.values()) {
            proposed += chain.state().proposed(k);
            accepted += chain.state().accepted(k);
        }
        double acceptance = proposed == 0 ? Double.NaN : (double) accepted / proposed;
        Map<String, Object> obs = new LinkedHashMap<>();
        for (String name : chain.observableNames()) obs.put(name, stats(cols.get(name), acceptance));
        double[] q = cols.get(StandardObservables.CHARGE);
        long volume = cfg.lattice().volume();
        if (q != null) {
            double[] q2 = new double[q.length];
            double[] chi = new double[q.length];
            for (int i = 0; i < q.length; i++) {
                q2[i] = q[i] * q[i];
                chi[i] = q2[i] / volume;
            }
            obs.put(StandardObservables.CHARGE_SQUARED, stats(q2, acceptance));
            obs.put("topological_susceptibility", stats(chi, acceptance));
        }
        m.put("observables", obs);
        Map<String, Reliability> verdicts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : obs.entrySet()) {
            @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) e.getValue();
            verdicts.put(e.getKey(), (Reliability) o.remove("verdict"));
        }
        if (sch.usesFlow()) {
            Reliability proposals = proposalTail(readHistory(historyFile, 0).get(PROPOSAL_LOG_RATIO), m);
            // only an independence chain depends on the flow to explore; HMC moves a hybrid chain whatever q is
            if (proposals != null && !sch.usesHmc()) verdicts.put("flow proposals", proposals);
        }
        Reliability.all(verdicts).addTo(m);
        if (cfg.group() instanceof U1 && cfg.lattice().dims() == 2) {
            ExactU1TwoD e = new ExactU1TwoD(cfg.beta(), volume);
            Map<String, Object> ex = new LinkedHashMap<>();
            ex.put(StandardObservables.PLAQUETTE, e.plaquette());
            ex.put(StandardObservables.CHARGE_SQUARED, e.topologicalChargeSquared());
            ex.put("topological_susceptibility", e.topologicalSusceptibility());
            m.put("exact", ex);
        }
        if (chain.consistency() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("samples", chain.consistency().samples());
            c.put("max_deviation", chain.consistency().maxDeviation());
            c.put("tolerance", chain.consistency().tolerance());
            m.put("model_consistency", c);
        }
        m.put("model_checksum", cfg.modelChecksum());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group", cfg.group().name());
        p.put("lattice", cfg.lattice().toString());
        p.put("beta", cfg.beta());
        p.put("hmc_per_cycle", sch.hmc());
        p.put("flow_per_cycle", sch.flow());
        p.put("seed", cfg.seed());
        p.put("start", String.valueOf(cfg.start()));
        p.put("save_every", s.saveEvery());
        p.put("checkpoint_every", s.checkpointEvery());
        if (parameters != null) p.putAll(parameters);
        m.put("parameters", p);
        return m;
    }

    /**
     * The tail of the flow proposals' importance ratios p/q over the whole chain (thermalization included: proposals
     * do not depend on the state), as summary "proposals": {count, pareto_k, pareto_k_limit, ess_per_proposal}, and
     * its verdict ({@link ParetoTail}); null when the history has no such column (a chain begun by an older version)
     * or too few proposals.
     */
    static Reliability proposalTail(double[] logRatios, Map<String, Object> summary) {
        if (logRatios == null) return null;
        double[] lw = java.util.Arrays.stream(logRatios).filter(Double::isFinite).toArray();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("count", lw.length);
        summary.put("proposals", o);
        if (lw.length < ParetoTail.MIN_SAMPLES) return null;
        ParetoTail t = ParetoTail.of(lw);
        o.put("pareto_k", Double.isNaN(t.k()) ? null : t.k());
        o.put("pareto_k_limit", ParetoTail.limit(t.samples()));
        o.put("ess_per_proposal", ReweightingStats.of(lw).ess());
        if (t.acceptable()) return Reliability.ok();
        return Reliability.not(t.describe() + ": q rarely proposes where p/q is large, so the chain may not have found "
                + "the target's typical set; train further or use a hybrid chain (docs/chains.md, Reliability)");
    }

    /**
     * {mean, error, tau_int, tau_int_error, reliable[, reason]} by the Gamma method (tau_int in updates); the verdict
     * is also under "verdict" for the caller to take out.
     */
    static Map<String, Object> stats(double[] v, double acceptance) {
        Map<String, Object> o = new LinkedHashMap<>();
        Reliability r;
        if (v == null || v.length < 2) {
            o.put("mean", v == null || v.length == 0 ? null : v[0]);
            r = Reliability.of(null, v == null ? 0 : v.length, acceptance);
        } else {
            GammaResult g = GammaMethod.analyze(v);
            o.put("mean", g.mean());
            o.put("error", g.error());
            o.put("tau_int", g.tauInt());
            o.put("tau_int_error", g.tauIntError());
            r = Reliability.of(g, v.length, acceptance);
        }
        r.addTo(o);
        o.put("verdict", r);
        return o;
    }
}
