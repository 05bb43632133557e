package org.gaugeflow.io.lime;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a LIME file through a {@link FileChannel}: the record headers are scanned once when the
 * file is opened (144 bytes each, data skipped), and a record's data is then read on demand into
 * caller-supplied buffers at 64-bit offsets. No array ever holds the whole file or a whole record
 * unless the caller asks for a small record with {@link #readBytes}.
 *
 * <p>Tolerated: MB/ME flags that do not pair up (real files get them wrong; the flags are kept in
 * each {@link LimeRecord} for whoever cares), a last record whose zero padding is cut short or
 * followed by a few stray zero bytes.
 * Rejected with a one-line {@link LimeFormatException}: bad magic or version, a header cut short,
 * a record whose data runs past the end of the file, an empty file.
 */
public final class LimeReader implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final List<LimeRecord> records;

    private LimeReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        this.records = Collections.unmodifiableList(scan());
    }

    public static LimeReader open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new LimeReader(path, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return size;
    }

    public List<LimeRecord> records() {
        return records;
    }

    private List<LimeRecord> scan() throws IOException {
        if (size == 0) {
            throw new LimeFormatException(path + ": empty file, expected LIME records");
        }
        List<LimeRecord> found = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(LimeHeader.SIZE);
        long offset = 0;
        while (offset < size) {
            String where = path + " at offset " + offset;
            buf.clear();
            int n = readAt(offset, buf);
            buf.flip();
            if (n < LimeHeader.SIZE && isStrayZeroTail(buf, found)) {
                break;
            }
            LimeHeader header = LimeHeader.decode(buf, where);
            LimeRecord record = new LimeRecord(found.size(), offset, header);
            long available = size - record.dataOffset();
            if (header.dataLength() > available) {
                throw new LimeFormatException(where + ": record '" + header.type() + "' declares "
                        + header.dataLength() + " data bytes but only " + available
                        + " remain in the file (truncated or corrupt)");
            }
            found.add(record);
            offset = record.nextHeaderOffset();
        }
        return found;
    }

    /** Fewer than 8 zero bytes after the last record (over-long padding) are ignored. */
    private static boolean isStrayZeroTail(ByteBuffer buf, List<LimeRecord> found) {
        if (found.isEmpty() || buf.remaining() >= 8) {
            return false;
        }
        for (int i = buf.position(); i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads as many bytes as fit in dst (or until end of file) starting at the absolute offset. */
    private int readAt(long offset, ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, offset + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Fills {@code dst} from the record's data starting {@code offsetInData} bytes into it.
     *
     * @throws EOFException if the request runs past the record's data
     */
    public void read(LimeRecord record, long offsetInData, ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        if (offsetInData < 0 || offsetInData + want > record.dataLength()) {
            throw new EOFException(path + ": read of " + want + " bytes at " + offsetInData
                    + " runs past record '" + record.type() + "' of " + record.dataLength() + " bytes");
        }
        int n = readAt(record.dataOffset() + offsetInData, dst);
        if (n < want) {
            throw new EOFException(path + ": file ended inside record '" + record.type() + "' at offset "
                    + (record.dataOffset() + offsetInData + n));
        }
    }

    /** The whole data of a small record (XML and the like); refuses records above {@code maxBytes}. */
    public byte[] readBytes(LimeRecord record, int maxBytes) throws IOException {
        if (record.dataLength() > maxBytes) {
            throw new LimeFormatException(path + ": record '" + record.type() + "' at offset "
                    + record.headerOffset() + " has " + record.dataLength()
                    + " bytes, more than the " + maxBytes + " expected for a metadata record");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) record.dataLength());
        read(record, 0, buf);
        return buf.array();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
