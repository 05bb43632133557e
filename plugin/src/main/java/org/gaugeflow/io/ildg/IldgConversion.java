package org.gaugeflow.io.ildg;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.tensor.Precision;

/**
 * {@code gaugeflow ildg convert}: reads a configuration (checksum verified) and writes it again with the full record
 * set at the chosen precision (docs/ildg.md). A configuration whose links are not in the group (the unitarity check of
 * {@code verify} fails, e.g. NaN links) is refused unless forced: writing it would give broken data a fresh, valid
 * checksum. A gaugeflow provenance in the input is carried over; otherwise it says {@code origin = convert:<IN's name>}.
 */
public final class IldgConversion {

    /**
     * @param precision      precision of the output (null: that of the input)
     * @param lattice        the lattice for inputs that do not record it (null: from the file)
     * @param verifyChecksum refuse an input whose stored checksum does not match its data
     * @param force          write even a configuration that fails the unitarity check
     * @param tolerance      largest accepted |U U^dagger - 1| and |det U - 1| (null: 1e-10 for 64-bit, 1e-5 for 32-bit input)
     */
    public record Options(Precision precision, long[] lattice, boolean verifyChecksum, boolean force, Double tolerance) {
        /** Same precision, lattice from the file, checksum verified, unitarity required, default tolerance. */
        public static Options defaults() {
            return new Options(null, null, true, false, null);
        }
    }

    /** What was written. @param layout the output's layout, @param checksum its SciDAC checksum, @param deviation the input's distance from the group */
    public record Result(IldgLayout layout, ScidacChecksum checksum, UnitarityCheck.Deviation deviation) {}

    private IldgConversion() {}

    /** Converts {@code in} to {@code out} (written atomically). */
    public static Result convert(Path in, Path out, Options o) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            IldgConfiguration conf = IldgReader.read(in,
                    IldgReader.Options.defaults().withLattice(o.lattice()).withVerifyChecksum(o.verifyChecksum()));
            IldgLayout layout = conf.info().layout();
            UnitarityCheck.Deviation dev = UnitarityCheck.of(conf.links(), layout.field());
            double tol = o.tolerance() != null ? o.tolerance() : defaultTolerance(layout.precision());
            boolean unitary = dev.maxUnitarity() <= tol && (!layout.field().special() || dev.maxDet() <= tol);
            if (!unitary && !o.force()) {
                String what = !(dev.maxUnitarity() <= tol) ? "max |U U^dagger - 1| = " + dev.maxUnitarity()
                        : "max |det U - 1| = " + dev.maxDet();
                throw new IldgFormatException(in + ": " + what + " exceeds tolerance " + tol + ": the links are not in "
                        + layout.field().group().name() + "; refusing to write them with a fresh checksum (--force to convert anyway)");
            }
            Precision p = o.precision() != null ? o.precision() : layout.precision();
            Provenance src = conf.info().provenance().orElse(null);
            Provenance prov = src != null
                    ? new Provenance(GaugeflowVersion.describe(), src.action(), src.beta(), src.origin(), src.step(), src.modelChecksum())
                    : new Provenance(GaugeflowVersion.describe(), null, null, "convert:" + in.getFileName(), null, null);
            ScidacChecksum sum = IldgWriter.write(out, conf.links(), IldgWriter.Options.of(p, prov));
            return new Result(layout.withPrecision(p), sum, dev);
        }
    }

    /** The default unitarity tolerance for data of a precision: 1e-10 for 64-bit, 1e-5 for 32-bit. */
    public static double defaultTolerance(Precision p) {
        return p == Precision.DOUBLE ? 1e-10 : 1e-5;
    }
}
