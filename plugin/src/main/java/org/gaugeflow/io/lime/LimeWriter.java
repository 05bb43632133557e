package org.gaugeflow.io.lime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes LIME records one after another to a channel. Small records are written whole with
 * {@link #writeRecord}; large ones are streamed: {@link #beginRecord} writes the header (the length
 * must be known up front, as in c-lime) and returns a {@link RecordOutput} that takes the data in
 * pieces of any size and writes the zero padding when closed.
 *
 * <p>The writer does not own the channel; whoever opened it closes (and syncs) it.
 */
public final class LimeWriter {

    private static final ByteBuffer ZEROS = ByteBuffer.allocate(8);

    private final WritableByteChannel channel;
    private long position;
    private RecordOutput open;

    public LimeWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    /** Bytes written so far (headers, data and padding). */
    public long position() {
        return position;
    }

    public void writeRecord(String type, byte[] data, boolean messageBegin, boolean messageEnd)
            throws IOException {
        try (RecordOutput out = beginRecord(type, data.length, messageBegin, messageEnd)) {
            out.write(ByteBuffer.wrap(data));
        }
    }

    /** Writes the header of a record of {@code length} data bytes and returns its data sink. */
    public RecordOutput beginRecord(String type, long length, boolean messageBegin, boolean messageEnd)
            throws IOException {
        if (open != null) {
            throw new IllegalStateException("LIME record '" + open.type + "' is still open");
        }
        LimeHeader header = new LimeHeader(type, length, messageBegin, messageEnd);
        writeFully(header.encode());
        open = new RecordOutput(type, length);
        return open;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b);
        }
    }

    /** The data of one record; exactly the declared number of bytes must be written before close. */
    public final class RecordOutput implements AutoCloseable {
        private final String type;
        private final long length;
        private long written;

        private RecordOutput(String type, long length) {
            this.type = type;
            this.length = length;
        }

        public long remaining() {
            return length - written;
        }

        /** Writes all of {@code src}. */
        public void write(ByteBuffer src) throws IOException {
            if (src.remaining() > remaining()) {
                throw new IllegalStateException("LIME record '" + type + "': writing " + src.remaining()
                        + " bytes with only " + remaining() + " of " + length + " left");
            }
            written += src.remaining();
            writeFully(src);
        }

        /** Writes the padding; fails if fewer bytes than declared were written. */
        @Override
        public void close() throws IOException {
            if (open != this) {
                return;
            }
            open = null;
            if (written != length) {
                throw new IllegalStateException("LIME record '" + type + "': " + written
                        + " data bytes written, header declared " + length);
            }
            writeFully(ZEROS.duplicate().limit((int) LimeHeader.padding(length)));
        }
    }
}
