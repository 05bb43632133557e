package org.gaugeflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gaugeflow.io.GaugeFileConversion;
import org.gaugeflow.tensor.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow convert IN OUT --format nersc|ildg}: converts a gauge configuration between ILDG and NERSC
 * ({@link GaugeFileConversion}); the input format is recognized from the file, all its checks must pass.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a gauge configuration between ILDG and NERSC (4D SU(3)); the input format is detected.")
final class ConvertCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "ILDG or NERSC file to read (checks verified).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "File to write (atomically).")
    Path out;

    @Option(names = "--format", required = true, paramLabel = "nersc|ildg", description = "Format of OUT.")
    String format;

    @Option(names = "--precision", paramLabel = "32|64", description = "Bits per real in OUT (default: that of IN).")
    Integer precision;

    @Option(names = "--two-rows", description = "NERSC: store two rows per link (4D_SU3_GAUGE) instead of 3x3.")
    boolean twoRows;

    @Override public Integer call() throws Exception {
        IldgCommand.inputFile(spec, in);
        Precision p = null;
        if (precision != null) {
            if (precision != 32 && precision != 64) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--precision " + precision + ": expected 32 or 64");
            }
            p = precision == 32 ? Precision.FLOAT : Precision.DOUBLE;
        }
        GaugeFileConversion.Format f = GaugeFileConversion.Format.parse(format);
        System.out.println(GaugeFileConversion.convert(in, out, new GaugeFileConversion.Options(f, p, twoRows)));
        return 0;
    }
}
