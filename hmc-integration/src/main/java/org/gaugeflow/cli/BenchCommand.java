package org.gaugeflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gaugeflow bench ...}: benchmarks (never tests); each subcommand prints a Markdown table for BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {FlowBenchCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }
}
