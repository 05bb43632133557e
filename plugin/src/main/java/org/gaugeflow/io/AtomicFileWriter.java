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
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Writes a file so that its final name only ever holds a complete file: the content goes to a
 * temporary file in the same folder, which is forced to disk and then renamed over the target
 * (atomically), and the folder is synced so the rename itself survives a crash. If the body fails
 * or the thread is interrupted, the temporary file is removed and the target is left as it was.
 * A killed process can leave a {@code .NAME.*.tmp} file behind, never a truncated {@code NAME}.
 *
 * <p>Leftovers of killed writes are removed later, and only when they are certainly stale: a writer holds an OS
 * lock on its temporary file while it writes (released by the kernel when the process dies), and this process
 * remembers the temporary files it is writing. Every write removes the leftovers of earlier writes of the same
 * target ({@code .NAME.<random>.tmp} that nobody holds any more); the first write into a folder in a process also
 * removes the other leftovers there that are unlocked and were not modified for {@link #STALE_AGE}; a locked
 * {@link RunFolder} removes all of its own at once ({@link #removeStaleTemporaries}).
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

    /**
     * How long an unlocked temporary file must have been left alone before a write into its folder counts it as stale:
     * long enough to cover the moment in which a file written by name (LibTorch) is closed but not yet locked again.
     */
    public static final Duration STALE_AGE = Duration.ofSeconds(10);

    /** The names this class gives temporary files: {@code .NAME.<base-36 random>.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-z]{1,13}\\.tmp");

    /** Temporary files being written by this process (never removed as stale). */
    private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

    /** Folders whose stale temporary files this process has already removed. */
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

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
        if (CLEANED.add(dir)) {
            removeStaleTemporaries(dir, false, STALE_AGE);
        }
        removeStaleTemporariesOf(absolute);
        // CREATE_NEW with the default mode, so the file gets the usual umask permissions (not 0600).
        Path temp = dir.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        ACTIVE.add(temp);
        boolean done = false;
        try {
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            try (ch) {
                FileLock lock = tryLock(ch);
                body.write(ch, temp);
                if (lock != null) {
                    // a writer by name closed its own handle on the file, which drops this process's lock: take it again
                    lock.release();
                    tryLock(ch);
                }
                ch.force(true);
                // renamed while still locked, so that no cleanup can take it for a leftover in between
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException(target + ": the file system cannot rename atomically in " + dir, e);
                }
            }
            done = true;
            syncDirectory(dir);
        } finally {
            try {
                if (!done) {
                    Files.deleteIfExists(temp);
                }
            } finally {
                ACTIVE.remove(temp);
            }
        }
    }

    /** An exclusive lock on the temporary file while it is written, where the file system has locks; else null. */
    private static FileLock tryLock(FileChannel ch) {
        try {
            return ch.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * Removes the temporary files that killed writes left in {@code dir} (and, with {@code recursive}, in its
     * subfolders): files named like this class names them ({@code .NAME.<random>.tmp}) that no process is writing:
     * not written by this process, not locked by another, and not modified for {@code minAge}. Returns how many were
     * removed. Anything else in the folder is left alone; a file that cannot be checked is kept.
     */
    public static int removeStaleTemporaries(Path dir, boolean recursive, Duration minAge) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    if (recursive) {
                        removed += removeStaleTemporaries(p, true, minAge);
                    }
                } else if (TEMPORARY.matcher(name).matches() && removeIfStale(p.toAbsolutePath(), minAge)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            // an unreadable folder: nothing to clean that we could tell apart
        }
        return removed;
    }

    /** Removes the leftovers of killed writes of {@code target} itself: unlocked and not written by this process. */
    private static void removeStaleTemporariesOf(Path target) {
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target.getParent(), p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]{1,13}");
        })) {
            for (Path p : s) removeIfStale(p.toAbsolutePath(), Duration.ZERO);
        } catch (IOException e) {
            // nothing to clean that we could tell apart
        }
    }

    private static boolean removeIfStale(Path file, Duration minAge) {
        if (ACTIVE.contains(file) || !Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!minAge.isZero() && modified.toMillis() > System.currentTimeMillis() - minAge.toMillis()) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    return false; // another process is writing it
                }
                Files.delete(file);
                return true;
            }
        } catch (IOException | OverlappingFileLockException e) {
            return false;
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
