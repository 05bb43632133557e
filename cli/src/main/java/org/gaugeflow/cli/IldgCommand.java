package org.gaugeflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gaugeflow.io.ildg.IldgLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gaugeflow ildg}: inspect, verify and convert ILDG gauge configurations (docs/ildg.md). */
@Command(name = "ildg", mixinStandardHelpOptions = true,
        description = "Inspect, verify and convert ILDG/LIME gauge configurations.",
        subcommands = {IldgInfoCommand.class, IldgVerifyCommand.class, IldgConvertCommand.class})
public final class IldgCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    /** An existing regular file, or a usage error (exit 2) naming the parameter. */
    static Path inputFile(CommandLine.Model.CommandSpec spec, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "FILE " + file + ": no such file, expected an ILDG/LIME file");
        }
        return file;
    }

    /** {@code --lattice 4x4x4x8} (x first) as extents, or a usage error. */
    static Optional<long[]> lattice(CommandLine.Model.CommandSpec spec, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(IldgLayout.parseLattice(text));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lattice: " + e.getMessage());
        }
    }
}
