package org.gaugeflow.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench/run}: gaugeflow's benchmark programs. Each reports its speed as a ratio to a reference measured in
 * the same run; the numbers go to BENCHMARKS.md by hand, never into test assertions.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, description = "gaugeflow benchmarks (BENCHMARKS.md).",
        subcommands = {HmcBench.class, FlowBench.class, IldgBench.class, ThroughputU1Bench.class, Su3Bench.class,
                ChainBench.class, Eigh3Bench.class, Models4dBench.class, DataParallelBench.class, DataParallelBench.Worker.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new BenchMain());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("bench: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage().replace('\n', ' ')));
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cl.execute(args));
    }
}
