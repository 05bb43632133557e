package org.gaugeflow.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every Fig. 2 experiment shares (a picocli mixin). Where the U(1) and SU(3) experiments use different
 * defaults, the option is left unset here and the command fills in its own (its --help says which).
 */
final class ExperimentOptions {
    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--budget-steps", paramLabel = "N", description = "Training steps per model (default: u1 300, su3 200).")
    Integer steps;

    @Option(names = "--budget-seconds", defaultValue = "0", paramLabel = "S",
            description = "If > 0, also stop training a model after S seconds, evaluation not counted (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--batch", paramLabel = "B", description = "Training batch (default: u1 64, su3 32).")
    Integer batch;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--betas", split = ",", paramLabel = "B1,B2,...", description = "Couplings (default: u1 1,...,8; su3 2,6,10,16).")
    double[] betas;

    @Option(names = "--lattice", defaultValue = "8x8", description = "Target lattice (default ${DEFAULT-VALUE}).")
    String lattice;

    @Option(names = "--coarse", defaultValue = "2x2", description = "Coarse lattice of the multiscale model (default ${DEFAULT-VALUE}).")
    String coarse;

    @Option(names = "--eval-samples", paramLabel = "N", description = "Fresh samples for the ESS (default: u1 4096, su3 1024).")
    Integer evalSamples;

    @Option(names = "--bootstrap", defaultValue = "200", description = "Bootstrap resamples of the ESS error (default ${DEFAULT-VALUE}).")
    int bootstrap;

    int steps(int dflt) { return steps != null ? steps : dflt; }

    int batch(int dflt) { return batch != null ? batch : dflt; }

    double[] betas(double... dflt) { return betas != null ? betas : dflt; }

    int evalSamples(int dflt) { return evalSamples != null ? evalSamples : dflt; }
}
