package org.gaugeflow.cli;

import org.gaugeflow.GaugeflowVersion;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.io.ildg.FilePrecision;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.io.ildg.ScidacChecksum;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow ildg convert IN OUT --precision 32|64}: reads IN (checksum verified) and writes OUT
 * with the full QIO record set; a gaugeflow provenance in IN is carried over, otherwise the
 * provenance says {@code origin = convert:<IN's name>}.
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
        try (PointerScope scope = new PointerScope()) {
            IldgConfiguration conf = IldgReader.read(in,
                    IldgReader.Options.defaults().withLattice(extents.orElse(null)).withVerifyChecksum(!noVerify));
            Precision p = target != null ? target : conf.info().layout().precision();
            Provenance src = conf.info().provenance().orElse(null);
            Provenance prov = src != null
                    ? new Provenance(GaugeflowVersion.describe(), src.action(), src.beta(), src.origin(), src.step(), src.modelChecksum())
                    : new Provenance(GaugeflowVersion.describe(), null, null, "convert:" + in.getFileName(), null, null);
            ScidacChecksum sum = IldgWriter.write(out, conf.links(), IldgWriter.Options.of(p, prov));
            System.out.println("wrote " + out + ": " + conf.info().layout().withPrecision(p) + ", checksum " + sum);
        }
        return 0;
    }
}
