package org.gaugeflow.io.ildg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;

/**
 * Everything {@code gaugeflow ildg info} and {@code verify} report about a file: its metadata, the
 * checksum stored and computed, the average plaquette and the distance of the links from the group.
 * The checksum is computed but a mismatch is reported, not thrown.
 */
public record IldgInspection(IldgFileInfo info, ScidacChecksum computed, double plaquette,
        UnitarityCheck.Deviation deviation) {

    public static IldgInspection of(Path file, Optional<long[]> lattice) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            IldgGaugeFields.Loaded loaded = IldgGaugeFields.read(file,
                    IldgReader.Options.defaults().withLattice(lattice.orElse(null)).withVerifyChecksum(false),
                    FieldOptions.CPU_DOUBLE);
            IldgConfiguration conf = loaded.configuration();
            GaugeField field = loaded.field();
            double plaquette = WilsonAction.averagePlaquette(field).item_double();
            UnitarityCheck.Deviation dev = UnitarityCheck.of(conf.links(), conf.info().layout().field());
            return new IldgInspection(conf.info(), conf.computed(), plaquette, dev);
        }
    }

    /** True or false when the file stores a checksum, empty when it has none. */
    public Optional<Boolean> checksumOk() {
        return info.storedChecksum().map(computed::equals);
    }

    /**
     * Default tolerance for {@code verify} on the unitarity and determinant deviations: 1e-10 for
     * 64-bit data (reunitarized double-precision links sit near 1e-15) and 1e-5 for 32-bit data
     * (float rounding of the entries alone gives a few 1e-7).
     */
    public double defaultTolerance() {
        return info.layout().precision() == org.gaugeflow.tensor.Precision.DOUBLE ? 1e-10 : 1e-5;
    }

    /**
     * Why the file ends inside a LIME message, if it does: its last record lacks the message-end (ME) flag, so
     * records that belonged to the message are missing (a file cut at a record boundary, e.g. before its
     * {@code scidac-checksum}). Readers accept such a file with a warning; {@code verify} fails on it.
     */
    public Optional<String> unendedMessage() {
        var records = info.records();
        if (records.isEmpty()) return Optional.empty();
        var last = records.get(records.size() - 1);
        if (last.header().messageEnd()) return Optional.empty();
        return Optional.of(info.path() + ": the last LIME message is not ended (record '" + last.type() + "' at offset "
                + last.headerOffset() + " has no ME flag): the file was cut at a record boundary"
                + (info.storedChecksum().isEmpty() ? ", and no scidac-checksum record is left" : ""));
    }

    /** Empty when the file passes; otherwise the one-line reason. */
    public Optional<String> failure(double tolerance) {
        String file = info.path().toString();
        Optional<String> cut = unendedMessage();
        if (cut.isPresent()) return cut;
        if (checksumOk().isPresent() && !checksumOk().get()) {
            return Optional.of(file + ": SciDAC checksum mismatch: stored " + info.storedChecksum().get()
                    + ", computed " + computed);
        }
        if (!(deviation.maxUnitarity() <= tolerance)) {
            return Optional.of(file + ": max |U U^dagger - 1| = " + deviation.maxUnitarity() + " exceeds tolerance "
                    + tolerance);
        }
        if (info.layout().field().special() && !(deviation.maxDet() <= tolerance)) {
            return Optional.of(file + ": max |det U - 1| = " + deviation.maxDet() + " exceeds tolerance " + tolerance);
        }
        return Optional.empty();
    }
}
