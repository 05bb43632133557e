package org.gaugeflow.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every experiment (Fig. 2, Fig. 4) shares (a picocli mixin). Where the U(1) and SU(3) experiments use different
 * defaults, the option is left unset here and the command fills in its own (its --help says which).
 */
final class ExperimentOptions {
    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--budget-steps", paramLabel = "N", description = "Training steps per model (default: fig2-u1 300, fig2-su3 200, fig4 no cap).")
    Integer steps;

    @Option(names = "--budget-seconds", defaultValue = "0", paramLabel = "S",
            description = "If > 0, also stop training a model after S seconds, evaluation not counted (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--batch", paramLabel = "B", description = "Training batch (default: fig2-u1 64, fig2-su3 32, fig4 u1 16, su3 4).")
    Integer batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--betas", split = ",", paramLabel = "B1,B2,...", description = "Couplings (default: fig2-u1 1,...,8; fig2-su3 2,6,10,16; fig4 u1 0.5,1,2,4; su3 2,4,6).")
    double[] betas;

    @Option(names = "--lattice", description = "Target lattice (default: fig2 8x8, fig4 4x4x4x4).")
    String lattice;

    @Option(names = "--coarse", description = "Coarse lattice of the multiscale model (default: 2 in every direction of the target).")
    String coarse;

    @Option(names = "--eval-samples", paramLabel = "N", description = "Fresh samples for the ESS (default: fig2-u1 4096, fig2-su3 1024, fig4 u1 1024, su3 128).")
    Integer evalSamples;

    @Option(names = "--bootstrap", defaultValue = "200", description = "Bootstrap resamples of the ESS error (default ${DEFAULT-VALUE}).")
    int bootstrap;

    int steps(int dflt) { return steps != null ? steps : dflt; }

    /** The target lattice, {@code dflt} if not given. */
    org.gaugeflow.lattice.Lattice lattice(String dflt) {
        return org.gaugeflow.lattice.Lattice.parse(lattice != null ? lattice : dflt);
    }

    /** The coarse lattice, by default extent 2 in every direction of {@code target}. */
    org.gaugeflow.lattice.Lattice coarse(org.gaugeflow.lattice.Lattice target) {
        return org.gaugeflow.lattice.Lattice.parse(coarse != null ? coarse
                : String.join("x", java.util.Collections.nCopies(target.dims(), "2")));
    }

    int batch(int dflt) { return batch != null ? batch : dflt; }

    double[] betas(double... dflt) { return betas != null ? betas : dflt; }

    int evalSamples(int dflt) { return evalSamples != null ? evalSamples : dflt; }
}
