package org.gaugeflow.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.HmcProduction;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow hmc}: pure-gauge HMC with the Wilson action on an engine of {@link org.gaugeflow.hmc.HmcEngines}
 * ({@link HmcProduction}) into the run folder DIR: run.json, history.csv and checkpoint.bin as it goes, then
 * summary.json and plaquette_history.png, and with --save-every ILDG files; {@code --resume} continues a killed run
 * exactly (docs/hmc.md). All parameters are checked before any work. Prints the plaquette with its error, or says why
 * there is none.
 */
@Command(name = "hmc", mixinStandardHelpOptions = true,
        description = "Pure-gauge HMC (Wilson action) with the native, the LibTorch or the Grid engine.")
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

    @Mixin SharedOptions.MdIntegrator integrator;

    @Mixin SharedOptions.Engine engine;

    @Mixin SharedOptions.Seed seed;

    @Mixin SharedOptions.Threads threads;

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

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
            description = "A checkpoint every N trajectories, and at least every minute (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Mixin SharedOptions.Existing existing;

    @Mixin SharedOptions.MemoryLimit memoryLimit;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override public Integer call() throws IOException {
        GaugeGroup g = GaugeGroup.parse(group);
        Lattice lat = Lattice.parse(lattice);
        HmcParameters params = new HmcParameters(beta, tau, steps, integrator.parsed());
        HmcProduction.Settings s = new HmcProduction.Settings(out, g, lat, params, engine.engine, seed.seed, start, chains,
                therm, trajectories, new FieldOptions(Precision.DOUBLE, device), maxDh, saveEvery, checkpointEvery, existing.mode());
        memoryLimit.apply();
        threads.apply();
        HmcProduction.Result r;
        // the bar starts with the first trajectory, so that a run refused before any work prints only its error
        ProgressBar[] bar = {null};
        try {
            r = HmcProduction.run(s, (k, total, acc, state) -> {
                if (quiet) return;
                if (bar[0] == null) bar[0] = Progress.bar("hmc", total, " traj");
                bar[0].stepTo(k + 1);
                bar[0].setExtraMessage(String.format(" acc %.3f", acc));
            });
        } finally {
            if (bar[0] != null) bar[0].close();
        }
        Plots.hmcHistory(out.resolve("plaquette_history.png"), r.rows(), g.name() + " " + lat + " beta=" + beta + " ("
                + s.engine() + ", " + params.integrator() + ")");
        print(r.json(), System.out);
        return 0;
    }

    /** The result lines: trajectories, acceptance, plaquette (and Q^2) with errors, never a zero error bar. */
    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> json, PrintStream o) {
        o.printf(Locale.ROOT, "hmc: %s measurement trajectories in %.1f s; acceptance %.3f%n", json.get("measurements"),
                ((Number) json.get("seconds")).doubleValue(), ((Number) json.get("acceptance")).doubleValue());
        for (String name : new String[] {"plaquette", "topological_charge_squared"}) {
            Map<String, Object> v = (Map<String, Object>) json.get(name);
            if (v == null) continue;
            o.println(SampleSummaryPrinter.line(name, v, null));
        }
        if (!Boolean.TRUE.equals(json.get("reliable"))) o.println("not reliable: " + json.get("reason"));
    }
}
