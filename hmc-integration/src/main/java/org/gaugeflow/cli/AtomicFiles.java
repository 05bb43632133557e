package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.gaugeflow.io.AtomicFileWriter;

/**
 * Output files are written to a temporary name in the same folder, forced to disk and renamed when
 * complete (DESIGN.md, "Bad input and data safety"); this is the byte-array and text front of the one
 * mechanism, {@link AtomicFileWriter}.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        AtomicFileWriter.write(target, ch -> {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
        });
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
