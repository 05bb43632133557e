package org.gaugeflow.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that its final name only ever holds a complete file: the content goes to a
 * temporary file in the same folder, which is forced to disk and then renamed over the target
 * (atomically), and the folder is synced so the rename itself survives a crash. If the body fails
 * or the thread is interrupted, the temporary file is removed and the target is left as it was.
 * A killed process can leave a {@code .NAME.*.tmp} file behind, never a truncated {@code NAME}.
 */
public final class AtomicFileWriter {

    /** The content of the file, written to an open channel. */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel channel) throws IOException;
    }

    /**
     * The content of the file, written by a library that only writes to a file name (LibTorch archives): it must
     * write the complete file to {@code temporary}, which exists and is empty when it is called.
     */
    @FunctionalInterface
    public interface NamedBody {
        void write(Path temporary) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFileWriter() {
    }

    /** Writes {@code content} to {@code target} atomically (see the class comment). */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, ch -> {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
        });
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomic write for writers that take a file name: {@code body} writes the temporary file by name, which is then
     * forced to disk and renamed like any other.
     */
    public static void writeNamed(Path target, NamedBody body) throws IOException {
        write(target, (ch, temp) -> {
            body.write(temp);
            // the named writer closed its own handle; force what it wrote through this channel
        });
    }

    /** Writes through {@code body} to a channel opened on the temporary file (see the class comment). */
    public static void write(Path target, Body body) throws IOException {
        write(target, (ch, temp) -> body.write(ch));
    }

    private interface ChannelAndPath {
        void write(FileChannel channel, Path temp) throws IOException;
    }

    private static void write(Path target, ChannelAndPath body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(target.toString(), null, "folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new java.nio.file.AccessDeniedException(target.toString(), null, "folder " + dir + " is not writable");
        }
        // CREATE_NEW with the default mode, so the file gets the usual umask permissions (not 0600).
        Path temp = dir.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        boolean done = false;
        try {
            try (ch) {
                body.write(ch, temp);
                ch.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot rename atomically in " + dir, e);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Forces the folder entry (the rename) to disk; a no-op where folders cannot be opened. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic.
        }
    }
}
