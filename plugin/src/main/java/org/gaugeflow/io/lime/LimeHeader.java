package org.gaugeflow.io.lime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One LIME record header: 144 bytes, big-endian.
 *
 * <pre>
 *   bytes   0..3    magic 0x456789AB
 *   bytes   4..5    version (1)
 *   byte    6       flags: bit 7 = MB (message begin), bit 6 = ME (message end); other bits reserved
 *   byte    7       reserved
 *   bytes   8..15   data length in bytes (unsigned 64-bit; we accept up to Long.MAX_VALUE)
 *   bytes  16..143  record type, ASCII, NUL-padded
 * </pre>
 *
 * The data follows the header and is padded with zeros to a multiple of 8 bytes.
 */
public record LimeHeader(String type, long dataLength, boolean messageBegin, boolean messageEnd) {

    public static final int SIZE = 144;
    public static final int MAGIC = 0x456789AB;
    public static final short VERSION = 1;
    public static final int TYPE_SIZE = 128;
    private static final int MB_MASK = 0x80;
    private static final int ME_MASK = 0x40;

    public LimeHeader {
        if (dataLength < 0) {
            throw new IllegalArgumentException("LIME data length must be >= 0, got " + dataLength);
        }
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        if (t.length == 0 || t.length >= TYPE_SIZE) {
            throw new IllegalArgumentException(
                    "LIME record type must have 1.." + (TYPE_SIZE - 1) + " characters, got '" + type + "'");
        }
    }

    /** Bytes of zero padding after {@code length} data bytes, so the next header is 8-byte aligned. */
    public static long padding(long length) {
        return (8 - (length & 7)) & 7;
    }

    /** Data length rounded up to a multiple of 8. */
    public long paddedLength() {
        return dataLength + padding(dataLength);
    }

    /** The 144 header bytes, big-endian. */
    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC);
        b.putShort(VERSION);
        int flags = (messageBegin ? MB_MASK : 0) | (messageEnd ? ME_MASK : 0);
        b.put((byte) flags);
        b.put((byte) 0);
        b.putLong(dataLength);
        b.put(type.getBytes(StandardCharsets.US_ASCII));
        b.position(SIZE);
        return b.flip();
    }

    /**
     * Decodes the 144 bytes at the buffer's position.
     *
     * @param where names the file and offset in error messages, e.g. {@code "conf.lime at offset 920"}
     */
    public static LimeHeader decode(ByteBuffer src, String where) throws LimeFormatException {
        ByteBuffer b = src.slice().order(ByteOrder.BIG_ENDIAN);
        if (b.remaining() >= 4 && b.getInt(0) != MAGIC) {
            throw new LimeFormatException(where + ": bad LIME magic 0x" + String.format("%08x", b.getInt(0))
                    + ", expected 0x456789ab");
        }
        if (b.remaining() < SIZE) {
            throw new LimeFormatException(where + ": truncated LIME header, " + b.remaining()
                    + " bytes where " + SIZE + " were expected");
        }
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version != VERSION) {
            throw new LimeFormatException(where + ": unsupported LIME version " + version + ", expected 1");
        }
        int flags = Byte.toUnsignedInt(b.get(6));
        long length = b.getLong(8);
        if (length < 0) {
            throw new LimeFormatException(where + ": LIME data length " + Long.toUnsignedString(length)
                    + " is larger than any file this reader supports");
        }
        String type = decodeType(b, where);
        return new LimeHeader(type, length, (flags & MB_MASK) != 0, (flags & ME_MASK) != 0);
    }

    private static String decodeType(ByteBuffer b, String where) throws LimeFormatException {
        byte[] raw = new byte[TYPE_SIZE];
        b.get(16, raw);
        int end = 0;
        while (end < TYPE_SIZE && raw[end] != 0) {
            end++;
        }
        String type = new String(raw, 0, end, StandardCharsets.US_ASCII).strip();
        if (type.isEmpty()) {
            throw new LimeFormatException(where + ": LIME record has an empty type string");
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new LimeFormatException(where + ": LIME record type has a non-printable byte 0x"
                        + Integer.toHexString(c) + ", expected ASCII text");
            }
        }
        return type;
    }
}
