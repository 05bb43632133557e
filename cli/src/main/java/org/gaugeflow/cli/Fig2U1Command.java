package org.gaugeflow.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gaugeflow.experiments.Fig2Experiment;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.tensor.FieldOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow experiment fig2-u1}: the U(1) half of the paper's Fig. 2 ({@link Fig2Experiment}): ESS against
 * beta of the multiscale model and of the fine-lattice flow alone at equal training budget. Writes fig2-u1.csv,
 * fig2-u1.png and, with --eval-every, fig2-u1-curve.csv.
 */
@Command(name = "fig2-u1", mixinStandardHelpOptions = true,
        description = "Fig. 2, U(1): ESS vs beta of the multiscale model and of the fine-lattice flow alone, at equal training budget.")
final class Fig2U1Command implements Callable<Integer> {

    @Option(names = "--scm-layers", defaultValue = "2", description = "Coupling layers per staple-conditional model (default ${DEFAULT-VALUE}).")
    int scmLayers;

    @Option(names = "--scm-hidden", defaultValue = "16,16", split = ",", description = "Hidden widths of the staple-conditional MLPs (default ${DEFAULT-VALUE}).")
    int[] scmHidden;

    @Option(names = "--bins", defaultValue = "8", description = "Spline bins, all layers (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--hidden", defaultValue = "8,8", split = ",", description = "Hidden channels of the fine-lattice context CNNs (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--fine-layers", defaultValue = "4", description = "Fine-lattice flow layers on top of the multiscale model (default ${DEFAULT-VALUE}).")
    int fineLayers;

    @Option(names = "--flow-layers", defaultValue = "8", description = "Layers of the fine-lattice flow alone (default ${DEFAULT-VALUE}).")
    int flowLayers;

    @Option(names = "--eval-every", defaultValue = "0", description = "Also measure the ESS on --curve-samples samples every N training steps (0: never); written to fig2-u1-curve.csv.")
    int evalEvery;

    @Option(names = "--curve-samples", defaultValue = "256", description = "Samples per training-curve ESS (default ${DEFAULT-VALUE}).")
    int curveSamples;

    @Mixin ExperimentOptions experiment;

    @Mixin SharedOptions.Precision precision;

    @Mixin SharedOptions.Seed seed;

    @Mixin SharedOptions.Threads threads;

    @Override public Integer call() throws IOException {
        threads.apply();
        ExperimentOptions e = experiment;
        Lattice target = e.lattice("8x8");
        Lattice coarseLattice = e.coarse(target);
        int batch = e.batch(64);
        FieldOptions options = precision.cpu();
        Fig2Experiment.Models models = Fig2Experiment.u1Models(coarseLattice, target,
                new U1Models.Spec(scmLayers, bins, scmHidden, 1.0,
                        fineLayers > 0 ? new U1FineLatticeFlow.Architecture(fineLayers, bins, hidden, 3) : null),
                new U1FineLatticeFlow.Architecture(flowLayers, bins, hidden, 3), options);
        Fig2Experiment.Settings s = new Fig2Experiment.Settings("u1", U1.INSTANCE, target, e.betas(1, 2, 3, 4, 5, 6, 7, 8), models,
                e.steps(300), e.seconds, batch, e.lr, e.evalSamples(4096), e.bootstrap, evalEvery, curveSamples, options, seed.seed, e.out);
        var rows = new Fig2Experiment(s).run(Fig2U1Command::print);
        Plots.fig2(e.out.resolve("fig2-u1.png"), rows, "Fig. 2, U(1), " + target + ": ESS vs beta (" + budget(rows) + ", batch " + batch + ")");
        return 0;
    }

    static void print(Fig2Experiment.Row r) {
        System.out.printf(Locale.ROOT, "beta %.2f %-10s params %d  %d steps in %.1f s  ESS %.4f +- %.4f  KL %.3f%n",
                r.beta(), r.model(), r.params(), r.steps(), r.trainSeconds(), r.ess(), r.essError(), r.kl());
    }

    /** The budget actually run, for plot titles: the range of steps and seconds over the rows. */
    static String budget(java.util.List<Fig2Experiment.Row> rows) {
        long minSteps = rows.stream().mapToLong(Fig2Experiment.Row::steps).min().orElse(0);
        long maxSteps = rows.stream().mapToLong(Fig2Experiment.Row::steps).max().orElse(0);
        double maxSec = rows.stream().mapToDouble(Fig2Experiment.Row::trainSeconds).max().orElse(0);
        String st = minSteps == maxSteps ? minSteps + " steps" : minSteps + "-" + maxSteps + " steps";
        return String.format(Locale.ROOT, "%s, <= %.0f s each", st, maxSec);
    }
}
