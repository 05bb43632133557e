package org.gaugeflow.hmc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.analysis.Reliability;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.chain.ChainCheckpoint;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.io.CsvTable;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.memory.MemoryEstimate;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pure-gauge HMC production run into a run folder (docs/hmc.md): thermalization and measurement trajectories of
 * independent chains with an engine from {@link HmcEngines}. The folder is a {@link RunFolder} (locked, with
 * {@code run.json}); {@code history.csv} (one row per trajectory and chain) grows as the run goes, and every
 * {@code checkpointEvery} trajectories (and at least every {@value #CHECKPOINT_SECONDS} s, and after the last) the
 * rows are forced to disk and {@code checkpoint.bin} is replaced atomically: the fields of all chains, the engine's
 * random-number position ({@link HmcEngine#randomState}), the counters and the seconds so far. Every
 * {@code saveEvery} measurement trajectories the chains' configurations go to {@code configs/} as ILDG files. At the
 * end {@code summary.json} holds plaquette, acceptance, exp(-Delta H) and, for 2D U(1), Q^2, with Gamma-method errors
 * and a reliability verdict ({@link Reliability}).
 *
 * <p>Resume ({@link RunFolder.Mode#RESUME}): the history is cut back to the checkpoint, ILDG files after it are
 * deleted, and the run continues from the checkpoint's fields and random numbers, so that {@code history.csv} and the
 * ILDG files are byte for byte those of an uninterrupted run, however often the run was killed.
 */
public final class HmcProduction {
    /** The summary file. */
    public static final String SUMMARY = "summary.json";
    /** The per-trajectory history. */
    public static final String HISTORY = "history.csv";
    /** The checkpoint (a {@link ChainCheckpoint} container). */
    public static final String CHECKPOINT = "checkpoint.bin";
    /** The ILDG folder. */
    public static final String CONFIGS = "configs";
    /** Checkpoints are written at least this often (seconds). */
    public static final int CHECKPOINT_SECONDS = 60;
    /** Default trajectories between checkpoints. */
    public static final int DEFAULT_CHECKPOINT_EVERY = 100;
    /**
     * Configuration keys that may change on resume: the number of measurement trajectories (to extend a run), the
     * checkpoint interval and the Delta H bound (neither changes a result).
     */
    public static final Set<String> MAY_CHANGE = Set.of("trajectories", "checkpoint_every", "max_dh");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(HmcProduction.class);

    /**
     * @param out             output folder
     * @param group           gauge group
     * @param lattice         lattice
     * @param params          beta, tau, steps, integrator
     * @param engine          engine name ({@link HmcEngines})
     * @param seed            seed of all random numbers
     * @param start           "cold" (unit links) or "hot" (Haar random from {@code seed})
     * @param chains          independent chains run as one batch
     * @param therm           thermalization trajectories
     * @param trajectories    measurement trajectories
     * @param options         device (float64 always)
     * @param maxDeltaH       the run stops with an error when |Delta H| exceeds this
     * @param saveEvery       an ILDG file of every chain every this many measurement trajectories (0: none)
     * @param checkpointEvery a checkpoint every this many trajectories (also every {@value #CHECKPOINT_SECONDS} s)
     * @param mode            a new run, resume, or overwrite ({@link RunFolder.Mode})
     */
    public record Settings(Path out, GaugeGroup group, Lattice lattice, HmcParameters params, String engine, long seed,
                           String start, int chains, int therm, int trajectories, FieldOptions options, double maxDeltaH,
                           int saveEvery, int checkpointEvery, RunFolder.Mode mode) {
        /** Checks and normalizes. */
        public Settings {
            start = start == null ? "" : start.trim().toLowerCase();
            if (!start.equals("cold") && !start.equals("hot")) throw new IllegalArgumentException("start '" + start + "': expected cold or hot");
            if (trajectories < 1) throw new IllegalArgumentException("trajectories = " + trajectories + ": expected >= 1");
            if (therm < 0) throw new IllegalArgumentException("therm = " + therm + ": expected >= 0");
            if (chains < 1) throw new IllegalArgumentException("chains = " + chains + ": expected >= 1");
            if (!(maxDeltaH > 0)) throw new IllegalArgumentException("max-dh = " + maxDeltaH + ": expected a number > 0");
            if (saveEvery < 0) throw new IllegalArgumentException("save-every = " + saveEvery + ": expected >= 0");
            if (checkpointEvery < 1) throw new IllegalArgumentException("checkpoint-every = " + checkpointEvery + ": expected >= 1");
            engine = engine == null ? "" : engine.trim().toLowerCase();
            if (mode == null) mode = RunFolder.Mode.NEW;
        }

        /** A new run with a checkpoint every {@value #DEFAULT_CHECKPOINT_EVERY} trajectories. */
        public Settings(Path out, GaugeGroup group, Lattice lattice, HmcParameters params, String engine, long seed,
                        String start, int chains, int therm, int trajectories, FieldOptions options, double maxDeltaH,
                        int saveEvery) {
            this(out, group, lattice, params, engine, seed, start, chains, therm, trajectories, options, maxDeltaH, saveEvery,
                    DEFAULT_CHECKPOINT_EVERY, RunFolder.Mode.NEW);
        }

        /** Total trajectories, thermalization included. */
        public long total() {
            return (long) therm + trajectories;
        }
    }

    /** What a finished run produced: the rows, their analysis, the summary as written, and the wall time. */
    public record Result(List<HmcRun.Row> rows, HmcSummary summary, Map<String, Object> json, double seconds) {}

    private HmcProduction() {}

    /** The configuration recorded in run.json and compared on resume. */
    public static Map<String, Object> configuration(Settings s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("group", s.group().name());
        c.put("lattice", s.lattice().toString());
        c.put("beta", s.params().beta());
        c.put("tau", s.params().tau());
        c.put("steps", s.params().steps());
        c.put("integrator", s.params().integrator().toString());
        c.put("engine", s.engine());
        c.put("device", s.options().device());
        c.put("start", s.start());
        c.put("chains", s.chains());
        c.put("therm", s.therm());
        c.put("trajectories", s.trajectories());
        c.put("save_every", s.saveEvery());
        c.put("checkpoint_every", s.checkpointEvery());
        c.put("max_dh", s.maxDeltaH());
        c.put("seed", s.seed());
        return c;
    }

    /**
     * Checks the memory estimate and the settings (engine availability included) before any work, opens the run
     * folder, runs (or resumes) and writes the outputs. Returns null when {@code listener} stops the run early
     * ({@link Stop}).
     */
    public static Result run(Settings s, HmcRun.Listener listener) throws IOException {
        MemoryEstimate.hmc(s.group(), s.lattice(), s.chains(), s.engine(), s.total()).require();
        try (HmcEngine hmc = HmcEngines.create(s.engine(), s.seed(), s.group(), s.lattice(), s.params(), s.options());
             RunFolder folder = RunFolder.open(s.out(), new RunFolder.Request("hmc", configuration(s), seeds(s),
                     s.mode(), MAY_CHANGE))) {
            return produce(s, hmc, folder, listener);
        }
    }

    /** Thrown by a listener to stop a run at once, as if it had been killed (tests, time limits); nothing is lost. */
    public static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A stop request. */
        public Stop() {
            super("stopped", null, false, false);
        }
    }

    private static Result produce(Settings s, HmcEngine hmc, RunFolder folder, HmcRun.Listener listener) throws IOException {
        Path out = s.out();
        Path ckpt = out.resolve(CHECKPOINT);
        ChainCheckpoint loaded = !folder.fresh() && Files.isRegularFile(ckpt) ? ChainCheckpoint.read(ckpt) : null;
        long done = 0;
        long accepted = 0;
        long proposed = 0;
        double secondsBefore = 0;
        if (loaded != null) {
            JsonNode h = loaded.header();
            checkCheckpoint(ckpt, h, s);
            done = h.path("trajectories_done").asLong();
            accepted = h.path("accepted").asLong();
            proposed = h.path("proposed").asLong();
            secondsBefore = h.path("seconds").asDouble();
            if (done > s.total()) {
                throw new IllegalArgumentException("trajectories = " + s.trajectories() + ": the checkpoint in " + out
                        + " is at trajectory " + done + " of therm + trajectories; expected trajectories >= " + (done - s.therm()));
            }
            LOG.info("resuming the HMC run in {} at trajectory {} of {}", out, done, s.total());
        }
        boolean charge = HmcRun.hasCharge(s.group(), s.lattice());
        String header = "trajectory,chain,thermalization,dH,accepted,plaquette" + (charge ? ",Q" : "");
        Path historyFile = out.resolve(HISTORY);
        ConfigurationWriter configs = s.saveEvery() > 0
                ? new ConfigurationWriter(out.resolve(CONFIGS), s.group(), s.lattice(), s.params().beta(), s.engine(),
                        folder.created()) : null;
        long t0 = System.nanoTime();
        boolean stopped = false;
        try (PointerScope scope = new PointerScope();
             CsvTable history = loaded != null ? CsvTable.resume(historyFile, header, done - 1) : CsvTable.create(historyFile, header)) {
            GaugeField field;
            if (loaded != null) {
                field = GaugeField.fromBytes(s.group(), s.lattice(), s.chains(), loaded.blob("field"), s.options());
                hmc.setRandomState(loaded.blob("rng.engine"));
                if (configs != null) configs.deleteFrom(done);
            } else {
                field = startField(s);
                if (configs != null) configs.deleteFrom(0);
            }
            HmcRun runner = new HmcRun(hmc, s.params(), s.maxDeltaH());
            folder.markStarted();
            long lastCheckpoint = System.nanoTime();
            try {
                for (long k = done; k < s.total(); k++) {
                    boolean therm = k < s.therm();
                    for (HmcRun.Row r : runner.trajectory(field, k, therm)) {
                        history.append(row(r, charge));
                        accepted += r.accepted() ? 1 : 0;
                        proposed++;
                    }
                    if (configs != null && !therm && (k - s.therm() + 1) % s.saveEvery() == 0) configs.write(field, k);
                    long next = k + 1;
                    if (next % s.checkpointEvery() == 0 || next == s.total()
                            || System.nanoTime() - lastCheckpoint > CHECKPOINT_SECONDS * 1_000_000_000L) {
                        history.flush();
                        double seconds = secondsBefore + (System.nanoTime() - t0) * 1e-9;
                        checkpoint(s, field, hmc, next, accepted, proposed, seconds).write(ckpt);
                        lastCheckpoint = System.nanoTime();
                    }
                    if (listener != null) listener.afterTrajectory(k, s.total(), (double) accepted / proposed, field);
                }
            } catch (Stop e) {
                stopped = true;
            }
        }
        if (stopped) return null;
        double seconds = secondsBefore + (System.nanoTime() - t0) * 1e-9;
        List<HmcRun.Row> rows = readHistory(historyFile);
        HmcSummary summary = new HmcSummary(rows);
        Map<String, Object> json = summaryJson(summary, hmc, seconds, s);
        if (!Boolean.TRUE.equals(json.get("reliable"))) {
            LOG.warn("{}: the result is not reliable: {}", out, json.get("reason"));
        }
        AtomicFileWriter.write(out.resolve(SUMMARY), JSON.writeValueAsString(json) + "\n");
        return new Result(rows, summary, json, seconds);
    }

    private static ChainCheckpoint checkpoint(Settings s, GaugeField field, HmcEngine hmc, long done, long accepted,
            long proposed, double seconds) {
        ObjectNode h = JSON.createObjectNode();
        h.put("kind", "hmc");
        h.put("group", s.group().name());
        h.put("lattice", s.lattice().toString());
        h.put("chains", s.chains());
        h.put("engine", s.engine());
        h.put("seed", s.seed());
        h.put("trajectories_done", done);
        h.put("accepted", accepted);
        h.put("proposed", proposed);
        h.put("seconds", seconds);
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put("field", field.toBytes());
        blobs.put("rng.engine", hmc.randomState());
        return new ChainCheckpoint(h, blobs);
    }

    private static void checkCheckpoint(Path file, JsonNode h, Settings s) {
        Map<String, String> want = new LinkedHashMap<>();
        want.put("kind", "hmc");
        want.put("group", s.group().name());
        want.put("lattice", s.lattice().toString());
        want.put("chains", Integer.toString(s.chains()));
        want.put("engine", s.engine());
        want.put("seed", Long.toString(s.seed()));
        for (Map.Entry<String, String> e : want.entrySet()) {
            String got = h.path(e.getKey()).asText("missing");
            if (!got.equals(e.getValue())) {
                throw new IllegalArgumentException("checkpoint " + file + ": " + e.getKey() + " = " + got + ", but this run has "
                        + e.getValue() + "; expected the same settings to resume");
            }
        }
    }

    private static GaugeField startField(Settings s) {
        GaugeField f;
        if (s.start().equals("cold")) {
            f = GaugeField.unit(s.group(), s.lattice(), s.chains(), s.options());
        } else {
            try (Rng rng = new Rng(s.seed(), s.options())) {
                f = GaugeField.haar(s.group(), s.lattice(), s.chains(), rng);
            }
        }
        return f.withLinks(f.links().contiguous());
    }

    /** trajectory,chain,thermalization,dH,accepted,plaquette[,Q] */
    private static String row(HmcRun.Row r, boolean charge) {
        StringBuilder b = new StringBuilder();
        b.append(r.trajectory()).append(',').append(r.chain()).append(',').append(r.thermalization() ? 1 : 0)
                .append(',').append(String.format(Locale.ROOT, "%.17g", r.deltaH()))
                .append(',').append(r.accepted() ? 1 : 0)
                .append(',').append(String.format(Locale.ROOT, "%.17g", r.plaquette()));
        if (charge) b.append(',').append(Math.round(r.charge()));
        return b.toString();
    }

    /** The rows of a history file written by this class. */
    public static List<HmcRun.Row> readHistory(Path file) throws IOException {
        List<HmcRun.Row> rows = new ArrayList<>();
        for (String[] f : CsvTable.rows(file)) {
            try {
                rows.add(new HmcRun.Row(Long.parseLong(f[0]), Integer.parseInt(f[1]), f[2].equals("1"), Double.parseDouble(f[3]),
                        f[4].equals("1"), Double.parseDouble(f[5]), f.length > 6 ? Double.parseDouble(f[6]) : Double.NaN));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("history " + file + ": row '" + String.join(",", f)
                        + "' is not trajectory,chain,thermalization,dH,accepted,plaquette[,Q]");
            }
        }
        return rows;
    }

    private static Map<String, Object> seeds(Settings s) {
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("seed", s.seed());
        seeds.put("start_field", s.start().equals("hot") ? s.seed() : null);
        if (s.engine().equals("native")) {
            long[] keys = new long[s.chains()];
            for (int b = 0; b < s.chains(); b++) keys[b] = s.seed() + b * 0x9E3779B97F4A7C15L;
            seeds.put("native_chain_keys", keys);
            seeds.put("native_streams", "trajectory index 0.." + (s.total() - 1));
        } else if (s.engine().equals("torch")) {
            seeds.put("torch_generator", s.seed());
        } else {
            seeds.put(s.engine() + "_seed", s.seed());
        }
        return seeds;
    }

    private static Map<String, Object> summaryJson(HmcSummary sum, HmcEngine hmc, double seconds, Settings s) {
        HmcParameters params = s.params();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "hmc");
        m.put("gaugeflow", GaugeflowVersion.describe());
        double acceptance = sum.acceptance();
        Map<String, Reliability> verdicts = new LinkedHashMap<>();
        Map<String, Object> plaquette = HmcSummary.json(sum.plaquette(), true);
        Reliability rp = Reliability.of(sum.plaquette(), sum.length(), acceptance);
        rp.addTo(plaquette);
        verdicts.put("plaquette", rp);
        m.put("plaquette", plaquette);
        m.put("acceptance", acceptance);
        m.put("exp_minus_dH", HmcSummary.json(sum.expMinusDeltaH(), false));
        if (sum.hasCharge()) {
            Map<String, Object> q2 = HmcSummary.json(sum.chargeSquared(), true);
            Reliability rq = Reliability.of(sum.chargeSquared(), sum.length(), acceptance);
            rq.addTo(q2);
            verdicts.put("topological_charge_squared", rq);
            m.put("topological_charge_squared", q2);
        }
        Reliability.all(verdicts).addTo(m);
        m.put("measurements", sum.length());
        m.put("seconds", seconds);
        m.put("trajectories_per_second", s.total() / seconds);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group", s.group().name());
        p.put("lattice", s.lattice().toString());
        p.put("beta", params.beta());
        p.put("trajectories", s.trajectories());
        p.put("therm", s.therm());
        p.put("tau", params.tau());
        p.put("steps", params.steps());
        p.put("step_size", params.stepSize());
        p.put("integrator", params.integrator().toString());
        p.put("engine", s.engine());
        p.put("start", s.start());
        p.put("chains", s.chains());
        p.put("device", s.options().device());
        p.put("max_dh", s.maxDeltaH());
        p.put("precision", "float64");
        p.put("save_every", s.saveEvery());
        p.put("checkpoint_every", s.checkpointEvery());
        m.put("parameters", p);
        Map<String, Object> seeds = seeds(s);
        if (hmc instanceof NativeHmcEngine n) {
            long[] keys = new long[s.chains()];
            for (int b = 0; b < s.chains(); b++) keys[b] = n.chainSeed(b);
            seeds.put("native_chain_keys", keys);
        } else if (hmc.seedDescription() != null) {
            seeds.put(hmc.name() + "_streams", hmc.seedDescription());
        }
        m.put("seeds", seeds);
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("torch", TorchRuntime.threads());
        threads.put("native", NativeEngine.available() ? NativeEngine.gf_max_threads() : 0);
        m.put("threads", threads);
        return m;
    }
}
