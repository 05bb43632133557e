package org.gaugeflow.io.ildg;

import static org.gaugeflow.io.ildg.IldgRecordTypes.ILDG_BINARY_DATA;
import static org.gaugeflow.io.ildg.IldgRecordTypes.ILDG_DATA_LFN;
import static org.gaugeflow.io.ildg.IldgRecordTypes.ILDG_FORMAT;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_CHECKSUM;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_FILE_XML;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_PRIVATE_FILE_XML;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_PRIVATE_RECORD_XML;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_RECORD_XML;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.LongConsumer;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.io.lime.LimeWriter;
import org.gaugeflow.tensor.Precision;

/**
 * Writes a configuration as an ILDG file with the record set and order of QIO and Grid, in two
 * LIME messages:
 * <ol>
 *   <li>{@code scidac-private-file-xml} (MB), {@code scidac-file-xml} (ME);</li>
 *   <li>{@code scidac-private-record-xml} (MB), {@code scidac-record-xml} (provenance),
 *       {@code ildg-format}, {@code ildg-data-lfn}, {@code ildg-binary-data}, {@code scidac-checksum} (ME).</li>
 * </ol>
 * The checksum is computed while the data streams out, so the checksum record follows the data.
 * The file appears under its name only when complete ({@link AtomicFileWriter}).
 */
public final class IldgWriter {

    /**
     * @param precision  32 or 64 bits per real in the file
     * @param provenance what made the configuration; goes into scidac-record-xml
     * @param lfn        the ILDG logical file name; null for the file's name
     * @param progress   told bytes of binary data written so far (may be null)
     * @param date       the date written into scidac-file-xml and scidac-private-record-xml; null for the time of
     *                   writing (runs pass their creation date, so that a resumed run writes byte-identical files)
     */
    public record Options(Precision precision, Provenance provenance, String lfn, LongConsumer progress, Instant date) {

        public Options {
            if (precision == null || provenance == null) {
                throw new IllegalArgumentException("ILDG writer needs a precision and a provenance");
            }
        }

        public static Options of(Precision precision, Provenance provenance) {
            return new Options(precision, provenance, null, null, null);
        }

        public Options withLfn(String name) {
            return new Options(precision, provenance, name, progress, date);
        }

        public Options withProgress(LongConsumer p) {
            return new Options(precision, provenance, lfn, p, date);
        }

        /** The same options with the date written into the file's XML records. */
        public Options withDate(Instant d) {
            return new Options(precision, provenance, lfn, progress, d);
        }
    }

    private IldgWriter() {
    }

    /**
     * The layout of a tensor in ILDG order [L_{d-1}, ..., L_0, d, N, N]: extents from the site dims,
     * SU(N) for N >= 2 and U(1) for N = 1.
     */
    public static IldgLayout layoutOf(Tensor links, Precision precision) {
        long[] s = links.sizes().vec().get();
        int d = s.length - 3;
        if (d < 2 || s[d] != d || s[d + 1] != s[d + 2]) {
            throw new IllegalArgumentException("links of shape " + java.util.Arrays.toString(s)
                    + " are not in ILDG order [L_{d-1}, ..., L_0, d, N, N]");
        }
        long[] extents = new long[d];
        for (int mu = 0; mu < d; mu++) {
            extents[mu] = s[d - 1 - mu];
        }
        int n = Math.toIntExact(s[d + 1]);
        return new IldgLayout(extents, n == 1 ? FieldType.U1 : FieldType.su(n), precision);
    }

    /**
     * Writes {@code links} (ILDG order, complex) to {@code target}.
     *
     * @return the SciDAC checksum written
     */
    public static ScidacChecksum write(Path target, Tensor links, Options options) throws IOException {
        IldgLayout layout = layoutOf(links, options.precision());
        if (layout.dims() > IldgXml.maxDims()) {
            throw new IllegalArgumentException("ILDG files hold d <= " + IldgXml.maxDims() + " dimensions, got " + layout.dims());
        }
        Instant now = options.date() != null ? options.date() : Instant.now();
        String lfn = options.lfn() != null ? options.lfn() : target.getFileName().toString();
        ScidacChecksum[] written = new ScidacChecksum[1];
        AtomicFileWriter.write(target, channel -> {
            LimeWriter lime = new LimeWriter(channel);
            lime.writeRecord(SCIDAC_PRIVATE_FILE_XML, utf8(IldgXml.scidacPrivateFile(layout)), true, false);
            lime.writeRecord(SCIDAC_FILE_XML, utf8(IldgXml.scidacFile(options.provenance().gaugeflowVersion(), now)),
                    false, true);
            lime.writeRecord(SCIDAC_PRIVATE_RECORD_XML, utf8(IldgXml.scidacPrivateRecord(layout, now)), true, false);
            lime.writeRecord(SCIDAC_RECORD_XML, utf8(IldgXml.scidacRecord(options.provenance(), layout)), false, false);
            lime.writeRecord(ILDG_FORMAT, utf8(IldgXml.ildgFormat(layout)), false, false);
            lime.writeRecord(ILDG_DATA_LFN, utf8(lfn), false, false);
            try (LimeWriter.RecordOutput out = lime.beginRecord(ILDG_BINARY_DATA, layout.dataBytes(), false, false)) {
                written[0] = BinaryDataWriter.write(out, links, layout, options.progress());
            }
            lime.writeRecord(SCIDAC_CHECKSUM, utf8(IldgXml.scidacChecksum(written[0])), false, true);
        });
        return written[0];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
