package org.gaugeflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gaugeflow experiment}: reproductions of the paper's figures. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's experiments (Fig. 2, Fig. 4).",
        subcommands = {Fig2U1Command.class, Fig2Su3Command.class, Fig4Command.class})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }
}
