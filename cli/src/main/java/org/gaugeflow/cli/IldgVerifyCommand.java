package org.gaugeflow.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gaugeflow.io.ildg.IldgInspection;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow ildg verify FILE}: exit 0 when the stored checksum matches the data and the links
 * are unitary (and, for SU(N), of unit determinant) within the tolerance; exit 1 with a one-line reason otherwise.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the SciDAC checksum and the unitarity of an ILDG file; exit 0 if both hold, 1 otherwise.")
final class IldgVerifyCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "ILDG/LIME file")
    Path file;

    @Option(names = "--lattice", paramLabel = "LxLxLxT",
            description = "Lattice (x first) for files that do not record it, e.g. 4x4x4x8.")
    String lattice;

    @Option(names = "--tolerance", paramLabel = "EPS",
            description = "Largest accepted |U U^dagger - 1| and |det U - 1| (default 1e-10 for 64-bit, 1e-5 for 32-bit data).")
    Double tolerance;

    @Option(names = "--require-checksum", description = "Fail when the file stores no SciDAC checksum.")
    boolean requireChecksum;

    @Override public Integer call() throws Exception {
        IldgCommand.inputFile(spec, file);
        var extents = IldgCommand.lattice(spec, lattice);
        if (tolerance != null && !(tolerance >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tolerance " + tolerance + ": expected >= 0");
        }
        TorchRuntime.configure();
        IldgInspection r = IldgInspection.of(file, extents);
        double tol = tolerance != null ? tolerance : r.defaultTolerance();
        Optional<String> failure = r.failure(tol);
        if (failure.isEmpty() && requireChecksum && r.info().storedChecksum().isEmpty()) {
            failure = Optional.of(file + ": no scidac-checksum record (--require-checksum)");
        }
        if (failure.isPresent()) {
            System.err.println("gaugeflow: " + failure.get());
            return 1;
        }
        String sum = r.checksumOk().isPresent() ? "checksum " + r.computed() + " ok" : "no checksum stored";
        System.out.println("OK " + file + ": " + r.info().layout() + ", " + sum + ", max |UU^dag-1| "
                + r.deviation().maxUnitarity() + (r.info().layout().field().special()
                        ? ", max |det-1| " + r.deviation().maxDet() : ""));
        return 0;
    }
}
