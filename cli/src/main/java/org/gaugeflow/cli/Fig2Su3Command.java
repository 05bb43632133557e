package org.gaugeflow.cli;

import java.io.IOException;
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

    @Mixin ExperimentOptions experiment;

    @Mixin SharedOptions.Precision precision;

    @Mixin SharedOptions.Seed seed;

    @Mixin SharedOptions.Threads threads;

    @Override public Integer call() throws IOException {
        threads.apply();
        ExperimentOptions e = experiment;
        Lattice target = e.lattice("8x8");
        int batch = e.batch(32);
        FieldOptions options = precision.cpu();
        SUN su3 = new SUN(3);
        Fig2Experiment.Models models = Fig2Experiment.sunModels(su3, e.coarse(target), target,
                new SUNModels.Spec(scmIterations, hidden, bins, 0.0,
                        fineIterations > 0 ? new SUNFineLatticeFlow.Architecture(fineIterations, hidden, bins, 0.0) : null),
                new SUNFineLatticeFlow.Architecture(flowIterations, hidden, bins, 0.0), options);
        Fig2Experiment.Settings s = new Fig2Experiment.Settings("su3", su3, target, e.betas(2, 6, 10, 16), models, e.steps(200),
                e.seconds, batch, e.lr, e.evalSamples(1024), e.bootstrap, 0, 0, options, seed.seed, e.out);
        var rows = new Fig2Experiment(s).run(Fig2U1Command::print);
        Plots.fig2(e.out.resolve("fig2-su3.png"), rows, "Fig. 2, SU(3), " + target + ": ESS vs beta ("
                + Fig2U1Command.budget(rows) + ", batch " + batch + ")");
        return 0;
    }
}
