package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.HmcRun;
import org.gaugeflow.hmc.HmcSummary;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.NativeHmcEngine;
import org.gaugeflow.hmc.TorchHmcEngine;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow hmc}: pure-gauge HMC with the Wilson action on the native or the LibTorch engine;
 * writes DIR/summary.json, DIR/history.csv and DIR/plaquette_history.png (docs/hmc.md). All parameters
 * are checked before any work; outputs appear only when the run completes.
 */
@Command(name = "hmc", mixinStandardHelpOptions = true,
        description = "Pure-gauge HMC (Wilson action) with the native or the LibTorch engine.")
public final class HmcCommand implements Callable<Integer> {

    @Option(names = "--group", required = true, description = "u1, su2 or su3.")
    String group;

    @Option(names = "--lattice", required = true, description = "Extents in direction order x, y, z, t, e.g. 8x8 or 4x4x4x8.")
    String lattice;

    @Option(names = "--beta", required = true, description = "Wilson action coupling beta >= 0.")
    double beta;

    @Option(names = "--trajectories", defaultValue = "1000", description = "Measurement trajectories (default ${DEFAULT-VALUE}).")
    int trajectories;

    @Option(names = "--therm", defaultValue = "100", description = "Thermalization trajectories (default ${DEFAULT-VALUE}).")
    int therm;

    @Option(names = "--tau", defaultValue = "1.0", description = "Trajectory length (default ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--steps", defaultValue = "10", description = "MD steps per trajectory (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--integrator", defaultValue = "leapfrog", description = "leapfrog or omelyan (default ${DEFAULT-VALUE}).")
    String integrator;

    @Option(names = "--engine", defaultValue = "native", description = "native or torch (default ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of all random numbers (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--start", defaultValue = "cold", description = "cold (unit links) or hot (Haar random) (default ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--chains", defaultValue = "1", description = "Independent chains run as one batch (default ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (torch engine only; default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--max-dh", defaultValue = "1000", description = "Stop with an error when |Delta H| exceeds this (default ${DEFAULT-VALUE}).")
    double maxDh;

    @Option(names = "--save-every", defaultValue = "0",
            description = "Write the configurations of every N-th measurement trajectory to DIR/configs as ILDG files (0: none).")
    int saveEvery;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override public Integer call() throws IOException {
        // usage checks first: each throws IllegalArgumentException (exit 2) with a one-line message
        GaugeGroup g = GaugeGroup.parse(group);
        Lattice lat = Lattice.parse(lattice);
        HmcParameters params = new HmcParameters(beta, tau, steps, Integrator.parse(integrator));
        String engineName = engine == null ? "" : engine.trim().toLowerCase();
        if (!engineName.equals("native") && !engineName.equals("torch")) {
            throw new IllegalArgumentException("engine '" + engine + "': expected native or torch");
        }
        String startName = start == null ? "" : start.trim().toLowerCase();
        if (!startName.equals("cold") && !startName.equals("hot")) {
            throw new IllegalArgumentException("start '" + start + "': expected cold or hot");
        }
        require(trajectories >= 1, "trajectories = " + trajectories + ": expected >= 1");
        require(therm >= 0, "therm = " + therm + ": expected >= 0");
        require(chains >= 1, "chains = " + chains + ": expected >= 1");
        require(maxDh > 0, "max-dh = " + maxDh + ": expected a number > 0");
        require(saveEvery >= 0, "save-every = " + saveEvery + ": expected >= 0");
        if (engineName.equals("native")) {
            require(g.n() <= 3, "group " + group + " with engine native: expected u1, su2 or su3");
            require(device.trim().equalsIgnoreCase("cpu"), "device " + device + " with engine native: expected cpu");
            require(NativeEngine.available(), "engine native: the native library is not available ("
                    + NativeEngine.unavailableReason() + "); use --engine torch");
        }
        FieldOptions options = new FieldOptions(Precision.DOUBLE, device);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("out " + out + ": exists and is not a folder");
        }
        Files.createDirectories(out);
        TorchRuntime.configure();

        try (PointerScope scope = new PointerScope()) {
            GaugeField field = startField(g, lat, options, startName);
            HmcEngine hmc = engineName.equals("native") ? new NativeHmcEngine(seed) : new TorchHmcEngine(seed, options);
            long t0 = System.nanoTime();
            List<HmcRun.Row> rows;
            try (ProgressBar bar = quiet ? null : progressBar(therm + trajectories)) {
                ConfigurationWriter configs = saveEvery > 0
                        ? new ConfigurationWriter(out.resolve("configs"), g, lat, beta, engineName) : null;
                rows = new HmcRun(hmc, params, maxDh).run(field, therm, trajectories, (k, total, acc, state) -> {
                    if (configs != null && k >= therm && (k - therm + 1) % saveEvery == 0) {
                        configs.write(state, k);
                    }
                    if (bar != null) {
                        bar.stepTo(k + 1);
                        bar.setExtraMessage(String.format(" acc %.3f", acc));
                    }
                });
            } finally {
                if (hmc instanceof TorchHmcEngine t) {
                    t.close();
                }
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            HmcSummary summary = new HmcSummary(rows);
            HmcOutputs.writeHistory(out, rows, summary.hasCharge());
            HmcOutputs.writePlot(out, rows, g.name() + " " + lat + " beta=" + beta + " (" + engineName + ", "
                    + params.integrator() + ")");
            HmcOutputs.writeSummary(out, summaryJson(summary, hmc, seconds, g, lat, params, engineName, startName));
        }
        return 0;
    }

    private GaugeField startField(GaugeGroup g, Lattice lat, FieldOptions options, String startName) {
        GaugeField f;
        if (startName.equals("cold")) {
            f = GaugeField.unit(g, lat, chains, options);
        } else {
            try (Rng rng = new Rng(seed, options)) {
                f = GaugeField.haar(g, lat, chains, rng);
            }
        }
        return f.withLinks(f.links().contiguous());
    }

    private static ProgressBar progressBar(long total) {
        return new ProgressBarBuilder().setTaskName("hmc").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" traj", 1).build();
    }

    private Map<String, Object> summaryJson(HmcSummary s, HmcEngine hmc, double seconds, GaugeGroup g, Lattice lat,
                                            HmcParameters params, String engineName, String startName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "hmc");
        m.put("gaugeflow", Main.version());
        m.put("plaquette", HmcSummary.json(s.plaquette(), true));
        m.put("acceptance", s.acceptance());
        m.put("exp_minus_dH", HmcSummary.json(s.expMinusDeltaH(), false));
        if (s.hasCharge()) {
            m.put("topological_charge_squared", HmcSummary.json(s.chargeSquared(), true));
        }
        m.put("seconds", seconds);
        m.put("trajectories_per_second", (therm + trajectories) / seconds);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("group", g.name());
        p.put("lattice", lat.toString());
        p.put("beta", params.beta());
        p.put("trajectories", trajectories);
        p.put("therm", therm);
        p.put("tau", params.tau());
        p.put("steps", params.steps());
        p.put("step_size", params.stepSize());
        p.put("integrator", params.integrator().toString());
        p.put("engine", engineName);
        p.put("start", startName);
        p.put("chains", chains);
        p.put("device", device);
        p.put("max_dh", maxDh);
        p.put("precision", "float64");
        p.put("save_every", saveEvery);
        m.put("parameters", p);
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("seed", seed);
        seeds.put("start_field", startName.equals("hot") ? seed : null);
        if (hmc instanceof NativeHmcEngine n) {
            long[] keys = new long[chains];
            for (int b = 0; b < chains; b++) {
                keys[b] = n.chainSeed(b);
            }
            seeds.put("native_chain_keys", keys);
            seeds.put("native_streams", "trajectory index 0.." + (therm + trajectories - 1));
        } else {
            seeds.put("torch_generator", seed);
        }
        m.put("seeds", seeds);
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("torch", TorchRuntime.threads());
        threads.put("native", NativeEngine.available() ? NativeEngine.gf_max_threads() : 0);
        m.put("threads", threads);
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
