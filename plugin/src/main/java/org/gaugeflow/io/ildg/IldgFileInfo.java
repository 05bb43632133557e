package org.gaugeflow.io.ildg;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gaugeflow.io.lime.LimeRecord;

/**
 * What the metadata of an ILDG file says, before the binary data is read.
 *
 * @param records        every LIME record, in file order
 * @param binary         the {@code ildg-binary-data} record that holds the configuration
 * @param layout         the layout in force for that data (checked against its length)
 * @param layoutSource   where the lattice size came from: {@code ildg-format},
 *                       {@code scidac-private-file-xml}, {@code user}, or {@code data size (hypercube)}
 * @param storedChecksum the {@code scidac-checksum} record's values, if the file has one
 * @param provenance     gaugeflow's provenance, if a gaugeflow writer made the file
 * @param lfn            the {@code ildg-data-lfn}, if present
 * @param warnings       tolerated oddities (missing format record, repeated records, MB/ME flags, ...)
 */
public record IldgFileInfo(Path path, long fileSize, List<LimeRecord> records, LimeRecord binary, IldgLayout layout,
        String layoutSource, Optional<ScidacChecksum> storedChecksum, Optional<Provenance> provenance,
        Optional<String> lfn, List<String> warnings) {

    public IldgFileInfo {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }
}
