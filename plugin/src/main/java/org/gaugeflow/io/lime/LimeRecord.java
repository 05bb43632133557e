package org.gaugeflow.io.lime;

/**
 * A record found in a LIME file: its header and where it sits. Offsets are absolute byte
 * positions in the file (64-bit, so files and records above 2 GiB work).
 */
public record LimeRecord(int index, long headerOffset, LimeHeader header) {

    public String type() {
        return header.type();
    }

    public long dataOffset() {
        return headerOffset + LimeHeader.SIZE;
    }

    public long dataLength() {
        return header.dataLength();
    }

    /** Offset just past this record's data and padding, where the next header starts. */
    public long nextHeaderOffset() {
        return dataOffset() + header.paddedLength();
    }
}
