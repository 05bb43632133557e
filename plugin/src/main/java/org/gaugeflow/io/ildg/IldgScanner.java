package org.gaugeflow.io.ildg;

import static org.gaugeflow.io.ildg.IldgRecordTypes.ILDG_BINARY_DATA;
import static org.gaugeflow.io.ildg.IldgRecordTypes.ILDG_DATA_LFN;
import static org.gaugeflow.io.ildg.IldgRecordTypes.ILDG_FORMAT;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_CHECKSUM;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_PRIVATE_FILE_XML;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_PRIVATE_RECORD_XML;
import static org.gaugeflow.io.ildg.IldgRecordTypes.SCIDAC_RECORD_XML;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gaugeflow.io.lime.LimeReader;
import org.gaugeflow.io.lime.LimeRecord;

/**
 * Reads the metadata records of an ILDG file and decides what its binary data holds. Tolerant of
 * what real files do: unknown records are skipped, a repeated record counts once (the first; for
 * the checksum, the first after the binary data), MB/ME flags that do not pair up only give a
 * warning, and a missing {@code ildg-format} record is made up for (see {@link LayoutResolver}).
 */
public final class IldgScanner {

    /** Metadata records are XML or a short string; anything larger is not metadata. */
    static final int MAX_METADATA_BYTES = 16 << 20;

    private IldgScanner() {
    }

    public static IldgFileInfo scan(LimeReader lime, Optional<long[]> userLattice) throws IOException {
        String file = lime.path().toString();
        List<LimeRecord> records = lime.records();
        List<String> warnings = new ArrayList<>();
        checkMessageFlags(records, warnings);
        Map<String, List<LimeRecord>> byType = new LinkedHashMap<>();
        for (LimeRecord r : records) {
            byType.computeIfAbsent(r.type(), t -> new ArrayList<>()).add(r);
        }
        byType.forEach((type, list) -> {
            if (list.size() > 1) {
                warnings.add("record '" + type + "' appears " + list.size() + " times; using the first");
            }
        });
        List<LimeRecord> binaries = byType.getOrDefault(ILDG_BINARY_DATA, List.of());
        if (binaries.isEmpty()) {
            throw new IldgFormatException(file + ": no ildg-binary-data record among " + records.size()
                    + " LIME records");
        }
        LimeRecord binary = binaries.get(0);

        Optional<IldgXml.FormatInfo> format = Optional.empty();
        Optional<String> formatXml = text(lime, byType, ILDG_FORMAT);
        if (formatXml.isPresent()) {
            format = Optional.of(IldgXml.parseIldgFormat(formatXml.get(), file + " ildg-format"));
        } else {
            warnings.add("no ildg-format record");
        }
        Optional<long[]> dims = Optional.empty();
        Optional<String> privateFile = text(lime, byType, SCIDAC_PRIVATE_FILE_XML);
        if (privateFile.isPresent()) {
            dims = IldgXml.parseScidacPrivateFile(privateFile.get(), file + " " + SCIDAC_PRIVATE_FILE_XML);
        }
        Optional<IldgXml.RecordInfo> privateRecord = Optional.empty();
        Optional<String> privateRecordXml = text(lime, byType, SCIDAC_PRIVATE_RECORD_XML);
        if (privateRecordXml.isPresent()) {
            privateRecord = Optional.of(IldgXml.parseScidacPrivateRecord(privateRecordXml.get(),
                    file + " " + SCIDAC_PRIVATE_RECORD_XML));
        }
        LayoutResolver.Resolved resolved = LayoutResolver.resolve(file, format, dims, privateRecord, userLattice,
                binary.dataLength(), warnings);

        Optional<ScidacChecksum> checksum = Optional.empty();
        Optional<LimeRecord> checksumRecord = checksumFor(binary, byType.getOrDefault(SCIDAC_CHECKSUM, List.of()));
        if (checksumRecord.isPresent()) {
            String xml = XmlText.decode(lime.readBytes(checksumRecord.get(), MAX_METADATA_BYTES));
            checksum = Optional.of(IldgXml.parseScidacChecksum(xml, file + " scidac-checksum"));
        }
        Optional<Provenance> provenance = Optional.empty();
        Optional<String> recordXml = text(lime, byType, SCIDAC_RECORD_XML);
        if (recordXml.isPresent()) {
            provenance = Provenance.fromXml(recordXml.get(), file + " " + SCIDAC_RECORD_XML);
        }
        Optional<String> lfn = text(lime, byType, ILDG_DATA_LFN);
        return new IldgFileInfo(lime.path(), lime.fileSize(), records, binary, resolved.layout(), resolved.source(),
                checksum, provenance, lfn, warnings);
    }

    private static Optional<String> text(LimeReader lime, Map<String, List<LimeRecord>> byType, String type)
            throws IOException {
        List<LimeRecord> list = byType.get(type);
        if (list == null) {
            return Optional.empty();
        }
        return Optional.of(XmlText.decode(lime.readBytes(list.get(0), MAX_METADATA_BYTES)));
    }

    /** The checksum record that belongs to the binary record: the first after it, else the first one. */
    private static Optional<LimeRecord> checksumFor(LimeRecord binary, List<LimeRecord> checksums) {
        return checksums.stream().filter(c -> c.index() > binary.index()).findFirst()
                .or(() -> checksums.stream().findFirst());
    }

    /** Records MB/ME flags that do not pair into messages; real writers get these wrong, so it is only a warning. */
    static void checkMessageFlags(List<LimeRecord> records, List<String> warnings) {
        boolean inMessage = false;
        int bad = 0;
        for (LimeRecord r : records) {
            boolean mb = r.header().messageBegin();
            if (mb == inMessage) {
                bad++;
            }
            inMessage = !r.header().messageEnd();
        }
        if (inMessage) {
            bad++;
        }
        if (bad > 0) {
            warnings.add(bad + " inconsistent LIME MB/ME flag(s) (messages do not pair up); ignored");
        }
    }
}
