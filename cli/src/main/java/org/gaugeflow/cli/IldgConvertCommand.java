package org.gaugeflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gaugeflow.io.ildg.FilePrecision;
import org.gaugeflow.io.ildg.IldgConversion;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow ildg convert IN OUT --precision 32|64 [--force]}: reads IN (checksum verified) and writes OUT
 * with the full QIO record set ({@link IldgConversion}); links that fail the unitarity check are refused unless
 * {@code --force}; a gaugeflow provenance in IN is carried over, otherwise the provenance says
 * {@code origin = convert:<IN's name>}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Rewrite an ILDG file with the full record set (QIO/Grid order) at 32- or 64-bit precision.")
final class IldgConvertCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "ILDG/LIME file to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "file to write (atomically)")
    Path out;

    @Option(names = "--precision", paramLabel = "32|64", description = "Precision of OUT (default: that of IN).")
    Integer precision;

    @Option(names = "--lattice", paramLabel = "LxLxLxT",
            description = "Lattice (x first) for files that do not record it, e.g. 4x4x4x8.")
    String lattice;

    @Option(names = "--no-verify", description = "Convert even when IN's checksum does not match its data.")
    boolean noVerify;

    @Option(names = "--force", description = "Convert even a configuration whose links are not in the group (NaN, not unitary).")
    boolean force;

    @Override public Integer call() throws Exception {
        IldgCommand.inputFile(spec, in);
        var extents = IldgCommand.lattice(spec, lattice);
        Precision target = null;
        if (precision != null) {
            try {
                target = FilePrecision.ofBits(precision);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--precision " + precision + ": expected 32 or 64");
            }
        }
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "OUT " + out + " is IN; write to another file");
        }
        TorchRuntime.configure();
        IldgConversion.Result r = IldgConversion.convert(in, out,
                new IldgConversion.Options(target, extents.orElse(null), !noVerify, force, null));
        System.out.println("wrote " + out + ": " + r.layout() + ", checksum " + r.checksum()
                + (force ? " (--force; max |UU^dag-1| of IN " + r.deviation().maxUnitarity() + ")" : ""));
        return 0;
    }
}
