package org.gaugeflow.hmc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;

/**
 * A pure-gauge HMC production run into a folder (docs/hmc.md): thermalization and measurement trajectories of
 * independent chains with an engine from {@link HmcEngines}, then {@code history.csv} (one row per trajectory and
 * chain), {@code summary.json} (plaquette, acceptance, exp(-Delta H) and, for 2D U(1), Q^2, with Gamma-method
 * errors; parameters, seeds, threads) and, every {@code saveEvery} measurement trajectories, ILDG files in
 * {@code configs/}. Every file is written atomically.
 */
public final class HmcProduction {
    /** The summary file. */
    public static final String SUMMARY = "summary.json";
    /** The per-trajectory history. */
    public static final String HISTORY = "history.csv";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param out          output folder
     * @param group        gauge group
     * @param lattice      lattice
     * @param params       beta, tau, steps, integrator
     * @param engine       engine name ({@link HmcEngines})
     * @param seed         seed of all random numbers
     * @param start        "cold" (unit links) or "hot" (Haar random from {@code seed})
     * @param chains       independent chains run as one batch
     * @param therm        thermalization trajectories
     * @param trajectories measurement trajectories
     * @param options      device (float64 always)
     * @param maxDeltaH    the run stops with an error when |Delta H| exceeds this
     * @param saveEvery    an ILDG file of every chain every this many measurement trajectories (0: none)
     */
    public record Settings(Path out, GaugeGroup group, Lattice lattice, HmcParameters params, String engine, long seed,
                           String start, int chains, int therm, int trajectories, FieldOptions options, double maxDeltaH,
                           int saveEvery) {
        public Settings {
            start = start == null ? "" : start.trim().toLowerCase();
            if (!start.equals("cold") && !start.equals("hot")) throw new IllegalArgumentException("start '" + start + "': expected cold or hot");
            if (trajectories < 1) throw new IllegalArgumentException("trajectories = " + trajectories + ": expected >= 1");
            if (therm < 0) throw new IllegalArgumentException("therm = " + therm + ": expected >= 0");
            if (chains < 1) throw new IllegalArgumentException("chains = " + chains + ": expected >= 1");
            if (!(maxDeltaH > 0)) throw new IllegalArgumentException("max-dh = " + maxDeltaH + ": expected a number > 0");
            if (saveEvery < 0) throw new IllegalArgumentException("save-every = " + saveEvery + ": expected >= 0");
            engine = engine == null ? "" : engine.trim().toLowerCase();
        }
    }

    /** What a finished run produced: the rows, their analysis, the summary as written, and the wall time. */
    public record Result(List<HmcRun.Row> rows, HmcSummary summary, Map<String, Object> json, double seconds) {}

    private HmcProduction() {}

    /** Checks the settings (engine availability included) before any work, runs, writes the outputs. */
    public static Result run(Settings s, HmcRun.Listener listener) throws IOException {
        if (Files.exists(s.out()) && !Files.isDirectory(s.out())) {
            throw new IllegalArgumentException("out " + s.out() + ": exists and is not a folder");
        }
        try (HmcEngine hmc = HmcEngines.create(s.engine(), s.seed(), s.group(), s.lattice(), s.params(), s.options())) {
            Files.createDirectories(s.out());
            try (PointerScope scope = new PointerScope()) {
                GaugeField field = startField(s);
                long t0 = System.nanoTime();
                ConfigurationWriter configs = s.saveEvery() > 0
                        ? new ConfigurationWriter(s.out().resolve("configs"), s.group(), s.lattice(), s.params().beta(), s.engine()) : null;
                List<HmcRun.Row> rows = new HmcRun(hmc, s.params(), s.maxDeltaH()).run(field, s.therm(), s.trajectories(),
                        (k, total, acc, state) -> {
                            if (configs != null && k >= s.therm() && (k - s.therm() + 1) % s.saveEvery() == 0) configs.write(state, k);
                            if (listener != null) listener.afterTrajectory(k, total, acc, state);
                        });
                double seconds = (System.nanoTime() - t0) * 1e-9;
                HmcSummary summary = new HmcSummary(rows);
                writeHistory(s.out(), rows, summary.hasCharge());
                Map<String, Object> json = summaryJson(summary, hmc, seconds, s);
                AtomicFileWriter.write(s.out().resolve(SUMMARY), JSON.writeValueAsString(json) + "\n");
                return new Result(rows, summary, json, seconds);
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
    private static void writeHistory(Path dir, List<HmcRun.Row> rows, boolean charge) throws IOException {
        StringBuilder b = new StringBuilder("trajectory,chain,thermalization,dH,accepted,plaquette");
        b.append(charge ? ",Q\n" : "\n");
        for (HmcRun.Row r : rows) {
            b.append(r.trajectory()).append(',').append(r.chain()).append(',').append(r.thermalization() ? 1 : 0)
                    .append(',').append(String.format(Locale.ROOT, "%.17g", r.deltaH()))
                    .append(',').append(r.accepted() ? 1 : 0)
                    .append(',').append(String.format(Locale.ROOT, "%.17g", r.plaquette()));
            if (charge) b.append(',').append(Math.round(r.charge()));
            b.append('\n');
        }
        AtomicFileWriter.write(dir.resolve(HISTORY), b.toString());
    }

    private static Map<String, Object> summaryJson(HmcSummary sum, HmcEngine hmc, double seconds, Settings s) {
        HmcParameters params = s.params();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "hmc");
        m.put("gaugeflow", GaugeflowVersion.describe());
        m.put("plaquette", HmcSummary.json(sum.plaquette(), true));
        m.put("acceptance", sum.acceptance());
        m.put("exp_minus_dH", HmcSummary.json(sum.expMinusDeltaH(), false));
        if (sum.hasCharge()) m.put("topological_charge_squared", HmcSummary.json(sum.chargeSquared(), true));
        m.put("seconds", seconds);
        m.put("trajectories_per_second", (s.therm() + s.trajectories()) / seconds);
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
        m.put("parameters", p);
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("seed", s.seed());
        seeds.put("start_field", s.start().equals("hot") ? s.seed() : null);
        if (hmc instanceof NativeHmcEngine n) {
            long[] keys = new long[s.chains()];
            for (int b = 0; b < s.chains(); b++) keys[b] = n.chainSeed(b);
            seeds.put("native_chain_keys", keys);
            seeds.put("native_streams", "trajectory index 0.." + (s.therm() + s.trajectories() - 1));
        } else if (hmc instanceof TorchHmcEngine) {
            seeds.put("torch_generator", s.seed());
        } else {
            seeds.put(hmc.name() + "_seed", s.seed());
            if (hmc.seedDescription() != null) seeds.put(hmc.name() + "_streams", hmc.seedDescription());
        }
        m.put("seeds", seeds);
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("torch", TorchRuntime.threads());
        threads.put("native", NativeEngine.available() ? NativeEngine.gf_max_threads() : 0);
        m.put("threads", threads);
        return m;
    }
}
