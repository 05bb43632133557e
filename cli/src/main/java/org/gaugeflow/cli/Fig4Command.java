package org.gaugeflow.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gaugeflow.experiments.Fig2Experiment;
import org.gaugeflow.experiments.Fig4Experiment;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.multiscale.UBMode;
import org.gaugeflow.tensor.FieldOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow experiment fig4 --group u1|su3}: the paper's Fig. 4 ({@link Fig4Experiment}): KL (Eq. (3), log Z
 * from the model with the lowest KL at each beta) and ESS of the 4D multiscale model with a small fine-lattice flow
 * on top against the fine-lattice flow alone, at equal wall-clock training budget. Writes fig4-GROUP.csv and
 * fig4-GROUP.png / .svg.
 */
@Command(name = "fig4", mixinStandardHelpOptions = true,
        description = "Fig. 4: KL and ESS vs beta of the 4D multiscale model (+ small fine flow) and of the fine-lattice flow alone, at equal training budget.")
final class Fig4Command implements Callable<Integer> {

    @Option(names = "--group", required = true, description = "u1, su2 or su3.")
    String group;

    @Option(names = "--scm-layers", defaultValue = "1", description = "u1: loop couplings per staple-conditional model (default ${DEFAULT-VALUE}).")
    int scmLayers;

    @Option(names = "--scm-hidden", defaultValue = "16", split = ",", description = "u1: hidden widths of the staple-conditional MLPs (default ${DEFAULT-VALUE}).")
    int[] scmHidden;

    @Option(names = "--fine-layers", defaultValue = "8", description = "u1: fine-flow couplings on top of the multiscale model (default ${DEFAULT-VALUE}).")
    int fineLayers;

    @Option(names = "--flow-layers", defaultValue = "48", description = "u1: couplings of the fine-lattice flow alone (default ${DEFAULT-VALUE}, the paper's).")
    int flowLayers;

    @Option(names = "--cnn-hidden", defaultValue = "8,8", split = ",", description = "u1: hidden channels of the fine flows' context CNNs (default ${DEFAULT-VALUE}).")
    int[] cnnHidden;

    @Option(names = "--scm-iterations", defaultValue = "1", description = "su3: spectral-flow iterations per staple-conditional model (default ${DEFAULT-VALUE}).")
    int scmIterations;

    @Option(names = "--hidden", defaultValue = "16", split = ",", description = "su3: hidden widths of the spectral flows' networks (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--fine-iterations", defaultValue = "1", description = "su3: direction+location iterations (64 layers in 4D) on top of the multiscale model (default ${DEFAULT-VALUE}).")
    int fineIterations;

    @Option(names = "--flow-iterations", defaultValue = "1", description = "su3: iterations of the fine-lattice flow alone (default ${DEFAULT-VALUE}: 48 + 16 = 64 layers, the paper's).")
    int flowIterations;

    @Option(names = "--bins", defaultValue = "8", description = "Spline bins, all layers (default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--u-b", defaultValue = "conditional", description = "U_B inside slice models: haar, conditional, checkerboard (default ${DEFAULT-VALUE}).")
    String ub;

    @Mixin ExperimentOptions experiment;

    @Mixin SharedOptions.Precision precision;

    @Mixin SharedOptions.Seed seed;

    @Mixin SharedOptions.Threads threads;

    @Override public Integer call() throws IOException {
        threads.apply();
        ExperimentOptions e = experiment;
        GaugeGroup g = GaugeGroup.parse(group);
        boolean u1 = g instanceof U1;
        if (!u1 && !(g instanceof SUN)) throw new IllegalArgumentException("--group " + group + ": expected u1, su2 or su3");
        Lattice target = e.lattice("4x4x4x4");
        Lattice coarse = e.coarse(target);
        FieldOptions options = precision.cpu();
        MultiscaleModel.Structure structure = new MultiscaleModel.Structure(parseUb(), 2);
        Fig2Experiment.Models models = u1
                ? Fig2Experiment.u1Models(coarse, target,
                        new U1Models.Spec(scmLayers, bins, scmHidden, 1.0,
                                fineLayers > 0 ? new U1FineLatticeFlow.Architecture(fineLayers, bins, cnnHidden, 3) : null,
                                structure),
                        new U1FineLatticeFlow.Architecture(flowLayers, bins, cnnHidden, 3), options)
                : Fig2Experiment.sunModels((SUN) g, coarse, target,
                        new SUNModels.Spec(scmIterations, hidden, bins, 0.0,
                                fineIterations > 0 ? new SUNFineLatticeFlow.Architecture(fineIterations, hidden, bins, 0.0) : null,
                                structure),
                        new SUNFineLatticeFlow.Architecture(flowIterations, hidden, bins, 0.0), options);
        double seconds = e.seconds > 0 ? e.seconds : e.steps == null ? (u1 ? 240 : 300) : 0;
        int batch = e.batch(u1 ? 16 : 4);
        String name = g.name().toLowerCase(Locale.ROOT);
        Fig2Experiment.Settings s = new Fig2Experiment.Settings(name, g, target, u1 ? e.betas(0.5, 1, 2, 4) : e.betas(2, 4, 6),
                models, e.steps(Integer.MAX_VALUE), seconds, batch, e.lr, e.evalSamples(u1 ? 1024 : 128), e.bootstrap, 0, 0,
                options, seed.seed, e.out);
        List<Fig4Experiment.Row> rows = new Fig4Experiment(s).run(Fig4Command::print);
        Plots.fig4(e.out.resolve("fig4-" + name + ".png"), rows, String.format(Locale.ROOT,
                "Fig. 4, %s, %s -> %s (%s, batch %d)", g.name(), coarse, target, budget(rows), batch));
        return 0;
    }

    private UBMode parseUb() {
        try {
            return UBMode.parse(ub);
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("--u-b " + ub + ": expected haar, conditional or checkerboard");
        }
    }

    static void print(Fig4Experiment.Row r) {
        System.out.printf(Locale.ROOT, "beta %.2f %-10s params %d  %d steps in %.1f s (%.1f s CPU)  ESS %.4f +- %.4f  "
                        + "KL %.3f +- %.3f (log Z %.3f from %s)%n", r.beta(), r.model(), r.params(), r.steps(), r.trainSeconds(),
                r.trainCpuSeconds(), r.ess(), r.essError(), r.kl(), r.lossError(), r.logZRef(), r.logZRefModel());
    }

    /** The budget actually run, for plot titles: seconds and the range of steps over the rows. */
    static String budget(List<Fig4Experiment.Row> rows) {
        long minSteps = rows.stream().mapToLong(Fig4Experiment.Row::steps).min().orElse(0);
        long maxSteps = rows.stream().mapToLong(Fig4Experiment.Row::steps).max().orElse(0);
        double maxSec = rows.stream().mapToDouble(Fig4Experiment.Row::trainSeconds).max().orElse(0);
        return String.format(Locale.ROOT, "%d-%d steps, <= %.0f s each", minSteps, maxSteps, maxSec);
    }
}
