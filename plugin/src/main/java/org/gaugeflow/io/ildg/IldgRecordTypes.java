package org.gaugeflow.io.ildg;

import java.util.List;

/** LIME record type strings of ILDG and SciDAC (QIO), and the order QIO and Grid write them in. */
public final class IldgRecordTypes {

    public static final String SCIDAC_PRIVATE_FILE_XML = "scidac-private-file-xml";
    public static final String SCIDAC_FILE_XML = "scidac-file-xml";
    public static final String SCIDAC_PRIVATE_RECORD_XML = "scidac-private-record-xml";
    public static final String SCIDAC_RECORD_XML = "scidac-record-xml";
    public static final String ILDG_FORMAT = "ildg-format";
    public static final String ILDG_DATA_LFN = "ildg-data-lfn";
    public static final String ILDG_BINARY_DATA = "ildg-binary-data";
    public static final String SCIDAC_CHECKSUM = "scidac-checksum";

    /** The full record set in writing order: two LIME messages, the file's and the configuration's. */
    public static final List<String> WRITE_ORDER = List.of(SCIDAC_PRIVATE_FILE_XML, SCIDAC_FILE_XML,
            SCIDAC_PRIVATE_RECORD_XML, SCIDAC_RECORD_XML, ILDG_FORMAT, ILDG_DATA_LFN, ILDG_BINARY_DATA,
            SCIDAC_CHECKSUM);

    private IldgRecordTypes() {
    }
}
