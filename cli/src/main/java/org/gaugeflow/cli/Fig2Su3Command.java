package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gaugeflow.experiments.Fig2Experiment;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.tensor.FieldOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow experiment fig2-su3}: the SU(3) half of the paper's Fig. 2 ({@link Fig2Experiment}): the
 * multiscale model (SU(3) staple-conditional spectral flows, a 12-layer fine flow on top) against the 12-layer
 * fine-lattice flow alone at equal training budget. Writes fig2-su3.csv and fig2-su3.png.
 */
@Command(name = "fig2-su3", mixinStandardHelpOptions = true,
        description = "Fig. 2, SU(3): ESS vs beta of the multiscale model and of the fine-lattice flow alone, at equal training budget.")
final class Fig2Su3Command implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--budget-steps", defaultValue = "200", description = "Training steps per model (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--budget-seconds", defaultValue = "0", description = "If > 0, also stop training a model after this many seconds, evaluation not counted (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--batch", defaultValue = "32", description = "Training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--betas", defaultValue = "2,6,10,16", split = ",", description = "Couplings (default ${DEFAULT-VALUE}).")
    double[] betas;

    @Option(names = "--lattice", defaultValue = "8x8", description = "Target lattice (default ${DEFAULT-VALUE}).")
    String lattice;

    @Option(names = "--coarse", defaultValue = "2x2", description = "Coarse lattice of the multiscale model (default ${DEFAULT-VALUE}).")
    String coarse;

    @Option(names = "--eval-samples", defaultValue = "1024", description = "Samples for the ESS (default ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--bootstrap", defaultValue = "200", description = "Bootstrap resamples of the ESS error (default ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--scm-iterations", defaultValue = "2", description = "Spectral-flow iterations per staple-conditional model (default ${DEFAULT-VALUE}).")
    int scmIterations;

    @Option(names = "--hidden", defaultValue = "16,16", split = ",", description = "Hidden widths of the spectral flows' networks (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--bins", defaultValue = "8", description = "Spline bins, all spectral flows (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--fine-iterations", defaultValue = "1", description = "12-layer iterations of the fine flow on top of the multiscale model (default ${DEFAULT-VALUE}).")
    int fineIterations;

    @Option(names = "--flow-iterations", defaultValue = "1", description = "12-layer iterations of the fine-lattice flow alone (default ${DEFAULT-VALUE}).")
    int flowIterations;

    @Mixin SharedOptions.Precision precision;

    @Mixin SharedOptions.Seed seed;

    @Mixin SharedOptions.Threads threads;

    @Override public Integer call() throws IOException {
        threads.apply();
        Lattice target = Lattice.parse(lattice);
        FieldOptions options = precision.cpu();
        SUN su3 = new SUN(3);
        Fig2Experiment.Models models = Fig2Experiment.sunModels(su3, Lattice.parse(coarse), target,
                new SUNModels.Spec(scmIterations, hidden, bins, 0.0,
                        fineIterations > 0 ? new SUNFineLatticeFlow.Architecture(fineIterations, hidden, bins, 0.0) : null),
                new SUNFineLatticeFlow.Architecture(flowIterations, hidden, bins, 0.0), options);
        Fig2Experiment.Settings s = new Fig2Experiment.Settings("su3", su3, target, betas, models, steps, seconds, batch, lr,
                evalSamples, bootstrap, 0, 0, options, seed.seed, out);
        var rows = new Fig2Experiment(s).run(Fig2U1Command::print);
        Plots.fig2(out.resolve("fig2-su3.png"), rows, "Fig. 2, SU(3), " + lattice + ": ESS vs beta ("
                + Fig2U1Command.budget(rows) + ", batch " + batch + ")");
        return 0;
    }
}
