package org.gaugeflow.io.ildg;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.gaugeflow.tensor.Precision;

/**
 * Decides the layout of the binary data from what a file offers, in this order: the
 * {@code ildg-format} record, {@code scidac-private-file-xml}, the lattice the user gives, and last
 * the data length when it fits a 4D hypercube of the field. The user's lattice must agree with the
 * file's when the file has one. The result must account for every byte of the binary record.
 */
final class LayoutResolver {

    private LayoutResolver() {
    }

    record Resolved(IldgLayout layout, String source) {
    }

    static Resolved resolve(String where, Optional<IldgXml.FormatInfo> format, Optional<long[]> privateFileDims,
            Optional<IldgXml.RecordInfo> privateRecord, Optional<long[]> userLattice, long dataLength,
            List<String> warnings) throws IldgFormatException {
        Optional<long[]> formatExtents = format.flatMap(IldgXml.FormatInfo::extents);
        long[] extents = null;
        String source = null;
        if (formatExtents.isPresent()) {
            extents = formatExtents.get();
            source = IldgRecordTypes.ILDG_FORMAT;
            if (privateFileDims.isPresent() && !Arrays.equals(extents, privateFileDims.get())) {
                warnings.add("scidac-private-file-xml lattice " + IldgLayout.describe(privateFileDims.get())
                        + " differs from ildg-format " + IldgLayout.describe(extents) + "; using ildg-format");
            }
        } else if (privateFileDims.isPresent()) {
            extents = privateFileDims.get();
            source = IldgRecordTypes.SCIDAC_PRIVATE_FILE_XML;
        }
        if (userLattice.isPresent()) {
            if (extents != null && !Arrays.equals(extents, userLattice.get())) {
                throw new IldgFormatException(where + ": the file's " + source + " says lattice "
                        + IldgLayout.describe(extents) + " but " + IldgLayout.describe(userLattice.get())
                        + " was given");
            }
            if (extents == null) {
                extents = userLattice.get();
                source = "user";
            }
        }

        FieldType field = format.flatMap(IldgXml.FormatInfo::field)
                .or(() -> privateRecord.flatMap(IldgXml.RecordInfo::colors).map(LayoutResolver::fieldOfColors))
                .orElse(FieldType.SU3);
        Optional<Precision> precision = format.flatMap(IldgXml.FormatInfo::precision)
                .or(() -> privateRecord.flatMap(IldgXml.RecordInfo::precision));

        if (extents == null) {
            return hypercube(where, field, precision, dataLength);
        }
        try {
            long bytes = 2L * field.colors() * field.colors() * 8;
            bytes = Math.multiplyExact(bytes, extents.length);
            for (long e : extents) bytes = Math.multiplyExact(bytes, e);
        } catch (ArithmeticException e) {
            throw new IldgFormatException(where + ": lattice " + IldgLayout.describe(extents) + " (from " + source + ") of "
                    + field + ": its size in bytes overflows 64-bit integers; expected a lattice that fits in a file");
        }
        IldgLayout layout;
        if (precision.isPresent()) {
            layout = new IldgLayout(extents, field, precision.get());
        } else {
            layout = inferPrecision(where, extents, field, dataLength);
        }
        if (layout.dataBytes() != dataLength) {
            throw new IldgFormatException(where + ": " + source + " says " + layout + " = " + layout.dataBytes()
                    + " bytes, but ildg-binary-data holds " + dataLength + " bytes");
        }
        return new Resolved(layout, source);
    }

    private static FieldType fieldOfColors(int n) {
        return n == 1 ? FieldType.U1 : FieldType.su(n);
    }

    private static IldgLayout inferPrecision(String where, long[] extents, FieldType field, long dataLength)
            throws IldgFormatException {
        IldgLayout probe = new IldgLayout(extents, field, Precision.DOUBLE);
        long reals = Math.multiplyExact(probe.volume(), probe.realsPerSite());
        if (dataLength == reals * 8) {
            return probe;
        }
        if (dataLength == reals * 4) {
            return probe.withPrecision(Precision.FLOAT);
        }
        throw new IldgFormatException(where + ": lattice " + probe.latticeString() + " " + field + " needs "
                + reals * 4 + " (32-bit) or " + reals * 8 + " (64-bit) bytes, but ildg-binary-data holds "
                + dataLength + " bytes");
    }

    private static Resolved hypercube(String where, FieldType field, Optional<Precision> precision, long dataLength)
            throws IldgFormatException {
        int d = 4;
        for (Precision p : Precision.values()) {
            if (precision.isPresent() && precision.get() != p) {
                continue;
            }
            long perSite = 2L * d * field.colors() * field.colors() * FilePrecision.bytes(p);
            if (dataLength % perSite != 0) {
                continue;
            }
            long volume = dataLength / perSite;
            long l = Math.round(Math.pow(volume, 0.25));
            if (l >= 1 && l * l * l * l == volume) {
                return new Resolved(new IldgLayout(new long[] {l, l, l, l}, field, p), "data size (hypercube)");
            }
        }
        throw new IldgFormatException(where + ": no ildg-format record, and " + dataLength
                + " bytes of ildg-binary-data are not a 4D hypercube of " + field + "; give the lattice (--lattice LxLxLxT)");
    }
}
