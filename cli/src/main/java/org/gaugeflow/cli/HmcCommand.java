package org.gaugeflow.cli;

import java.io.IOException;
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
 * ({@link HmcProduction}); writes DIR/summary.json, DIR/history.csv, DIR/plaquette_history.png and, with
 * --save-every, ILDG files (docs/hmc.md). All parameters are checked before any work.
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

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override public Integer call() throws IOException {
        GaugeGroup g = GaugeGroup.parse(group);
        Lattice lat = Lattice.parse(lattice);
        HmcParameters params = new HmcParameters(beta, tau, steps, integrator.parsed());
        HmcProduction.Settings s = new HmcProduction.Settings(out, g, lat, params, engine.engine, seed.seed, start, chains,
                therm, trajectories, new FieldOptions(Precision.DOUBLE, device), maxDh, saveEvery);
        threads.apply();
        HmcProduction.Result r;
        try (ProgressBar bar = quiet ? null : Progress.bar("hmc", (long) therm + trajectories, " traj")) {
            r = HmcProduction.run(s, (k, total, acc, state) -> {
                if (bar != null) {
                    bar.stepTo(k + 1);
                    bar.setExtraMessage(String.format(" acc %.3f", acc));
                }
            });
        }
        Plots.hmcHistory(out.resolve("plaquette_history.png"), r.rows(), g.name() + " " + lat + " beta=" + beta + " ("
                + s.engine() + ", " + params.integrator() + ")");
        return 0;
    }
}
