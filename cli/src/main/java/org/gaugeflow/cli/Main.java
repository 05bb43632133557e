package org.gaugeflow.cli;

import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code gaugeflow} command line. Usage errors exit 2, failures at run time exit 1, each with a
 * one-line message; stack traces only with {@code --debug}.
 */
@Command(name = "gaugeflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Multiscale normalizing flows for lattice gauge theory.",
        subcommands = {InfoCommand.class, DemoCommand.class, TrainCommand.class, EvalCommand.class, CompareCommand.class, SampleCommand.class,
                HmcCommand.class, AnalyzeCommand.class, IldgCommand.class, ConvertCommand.class, ExperimentCommand.class})
public final class Main implements Runnable {

    @Option(names = "--debug", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }

    public static void main(String[] args) { System.exit(execute(args)); }

    /** Runs the command line and returns the exit status (for tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        org.gaugeflow.io.RunFolder.setInvocation(invocation(args));
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("gaugeflow: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            if (debug) ex.printStackTrace(cmd.getErr());
            if (ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException) {
                cmd.getErr().println("gaugeflow: " + oneLine(root));
                return 2;
            }
            cmd.getErr().println("gaugeflow: " + oneLine(root));
            return 1;
        });
        return cl.execute(args);
    }

    /** The command line as run folders record it: "gaugeflow ARGS", arguments with spaces quoted. */
    static String invocation(String... args) {
        StringBuilder b = new StringBuilder("gaugeflow");
        for (String a : args) {
            b.append(' ');
            b.append(a.isEmpty() || a.matches(".*[\\s'\"].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return b.toString();
    }

    static String oneLine(Throwable t) {
        if (t instanceof java.io.IOException io) return org.gaugeflow.io.IoErrors.describe(io);
        if (t instanceof java.io.UncheckedIOException u && u.getCause() != null && u.getMessage() != null
                && u.getMessage().equals(u.getCause().toString())) {
            return org.gaugeflow.io.IoErrors.describe(u.getCause());
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        return m.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"gaugeflow " + GaugeflowVersion.describe(), "LibTorch " + TorchRuntime.libtorchVersion()};
        }
    }
}
