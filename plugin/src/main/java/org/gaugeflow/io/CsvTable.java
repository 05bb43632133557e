package org.gaugeflow.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only CSV file whose first column is the update or trajectory number (history.csv, index.csv). Rows are
 * flushed at every checkpoint; on resume the file is cut back (atomically) to the rows of updates up to
 * the checkpoint, which also drops a half-written last line, so the resumed chain appends with no gap
 * and no duplicate. Flushing forces the rows to disk. (An append log is the one kind of file not written by
 * {@link AtomicFileWriter}: it grows during a run, and the cut-back on resume keeps it consistent.)
 */
public final class CsvTable implements AutoCloseable {
    private final Path file;
    private final String header;
    private FileChannel channel;
    private BufferedWriter out;

    /** A new table (replacing any old file). */
    public static CsvTable create(Path file, String header) throws IOException {
        AtomicFileWriter.write(file, ch -> ch.write(java.nio.ByteBuffer.wrap((header + "\n").getBytes(StandardCharsets.UTF_8))));
        return new CsvTable(file, header);
    }

    /** The first line (the header) of a table, or null when there is no such file or it is empty. */
    public static String firstLine(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return r.readLine();
        }
    }

    /** The existing table cut back to rows with update <= {@code updates}; the header must match. */
    public static CsvTable resume(Path file, String header, long updates) throws IOException {
        if (!Files.isRegularFile(file)) return create(file, header);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IllegalArgumentException(file + ": header '" + (lines.isEmpty() ? "" : lines.get(0))
                    + "': expected '" + header + "' to resume");
        }
        StringBuilder keep = new StringBuilder(header).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            int comma = l.indexOf(',');
            if (comma <= 0) continue;
            long u;
            try {
                u = Long.parseLong(l.substring(0, comma));
            } catch (NumberFormatException e) {
                continue;
            }
            boolean complete = l.split(",", -1).length == header.split(",", -1).length;
            if (u <= updates && complete) keep.append(l).append('\n');
        }
        byte[] bytes = keep.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(file, ch -> ch.write(java.nio.ByteBuffer.wrap(bytes)));
        return new CsvTable(file, header);
    }

    private CsvTable(Path file, String header) throws IOException {
        this.file = file;
        this.header = header;
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
    }

    /** Appends a row (buffered until {@link #flush}). */
    public void append(String row) throws IOException {
        out.write(row);
        out.write('\n');
    }

    /** Writes the buffered rows and forces them to disk (at every checkpoint, so the checkpoint never runs ahead). */
    public void flush() throws IOException {
        out.flush();
        channel.force(false);
    }

    /** The file. */
    public Path file() { return file; }

    /** All data rows, split at commas. */
    public static List<String[]> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) if (!lines.get(i).isBlank()) rows.add(lines.get(i).split(",", -1));
        return rows;
    }

    @Override public void close() throws IOException {
        if (out != null) {
            flush();
            out.close();
            out = null;
            channel = null;
        }
    }
}
