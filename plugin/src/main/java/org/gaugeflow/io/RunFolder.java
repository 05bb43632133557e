package org.gaugeflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.gaugeflow.GaugeflowVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output folder of one run ({@code train}, {@code sample}, {@code hmc}, the demo), held for the run's lifetime
 * so that two runs can never write into one folder and a folder never mixes the files of two runs
 * (docs/chains.md, "Run folders").
 *
 * <ul>
 *   <li><b>Lock.</b> {@link #open} takes an exclusive OS lock ({@link FileChannel#tryLock}) on {@value #LOCK} in the
 *   folder and writes into it who holds it (pid, host, command line, start time). The kernel releases the lock when
 *   the process ends in any way, so a killed run never leaves a stale lock; the file itself stays. A second run on
 *   the folder, in this process or another, is refused at once with a {@link BusyException} naming the holder.</li>
 *   <li><b>Record.</b> Before the run writes its first result, {@value #RECORD} records what made it: the command and
 *   its command line, the full configuration, the seeds, the gaugeflow version and commit, the creation time; every
 *   resume is appended to its {@code resumes} list.</li>
 *   <li><b>Existing files.</b> A folder that holds anything but the lock is refused ({@link Mode#NEW}) unless the run
 *   resumes it ({@link Mode#RESUME}: same command, and the configuration equal key by key to the recorded one except
 *   for the keys the run declares changeable, with a one-line error listing every difference) or replaces it
 *   ({@link Mode#OVERWRITE}: the old files are deleted first; only files that gaugeflow writes, so a mistyped
 *   folder of other files is refused rather than emptied).</li>
 *   <li><b>Leftovers.</b> Temporary files of killed writes ({@link AtomicFileWriter}) in the folder and its
 *   subfolders are removed once the lock is held.</li>
 * </ul>
 *
 * <p>Errors are one line and name the folder: {@link BusyException} and the refusals are
 * {@link IllegalArgumentException}s (the command line exits with status 2 before any work).
 */
public final class RunFolder implements AutoCloseable {
    /** The lock file inside a run folder. */
    public static final String LOCK = ".gaugeflow.lock";
    /** The record of what made the run. */
    public static final String RECORD = "run.json";

    /** How a run treats a folder that already holds files. */
    public enum Mode {
        /** A new run: the folder must be missing or empty. */
        NEW,
        /** Continue the run in the folder (a missing or empty folder starts a new run). */
        RESUME,
        /** Delete the old run's files first, then start a new run. */
        OVERWRITE
    }

    /**
     * What a run asks of its folder.
     *
     * @param command       the command that writes the folder: "train", "sample", "hmc", "demo"
     * @param configuration everything that determines the run's results (nested maps allowed); recorded, and compared
     *                      key by key (dotted names) on resume
     * @param seeds         the seeds of the run's random streams (recorded)
     * @param mode          what to do with existing files
     * @param mayChange     dotted configuration keys that may differ on resume (e.g. the total length of the run)
     */
    public record Request(String command, Map<String, ?> configuration, Map<String, ?> seeds, Mode mode,
                          Set<String> mayChange) {
        /** Checks and copies. */
        public Request {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(mode, "mode");
            configuration = configuration == null ? Map.of() : configuration;
            seeds = seeds == null ? Map.of() : seeds;
            mayChange = mayChange == null ? Set.of() : Set.copyOf(mayChange);
        }
    }

    /** A folder in use by another run; the message names that run's process, command and start. */
    public static final class BusyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BusyException(String message) {
            super(message);
        }
    }

    /** Names of files and folders that gaugeflow runs write; {@link Mode#OVERWRITE} deletes nothing else. */
    private static final Set<String> KNOWN = Set.of(RECORD, LOCK, "config.yaml", "metrics.csv", "checkpoint.pt",
            "checkpoint.json", "checkpoint.bin", "summary.json", "eval.json", "history.csv", "configs", "ensemble", "model",
            "chain", "heldout.csv", "best.pt", "best.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
    /** Folders locked by this process (real paths), so that a second run in the same JVM is refused too. */
    private static final Map<Path, RunFolder> HELD = new ConcurrentHashMap<>();
    private static volatile String invocation;

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final String holder;
    private boolean fresh;
    private boolean started;
    private ObjectNode record;
    private boolean closed;

    private RunFolder(Path dir, Path key, FileChannel channel, FileLock lock, String holder) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
    }

    /**
     * The command line of this process as lock files and records show it (e.g. {@code gaugeflow hmc --out x ...});
     * set once by the command line. Without it, the command's name is shown.
     */
    public static void setInvocation(String commandLine) {
        invocation = commandLine;
    }

    /** The command line set by {@link #setInvocation}, or null. */
    public static String invocation() {
        return invocation;
    }

    /**
     * Opens {@code dir} for a run (created if missing): locks it, removes leftover temporary files, applies
     * {@code request.mode()} to what the folder holds and writes the record. The caller closes the folder when the
     * run ends (the lock is released by the OS anyway when the process ends).
     *
     * @throws BusyException            another run holds the folder
     * @throws IllegalArgumentException {@code dir} is not a folder, holds another run's files (without resume or
     *                                  overwrite), holds a run of another command or configuration (resume), or holds
     *                                  files gaugeflow did not write (overwrite)
     */
    public static RunFolder open(Path dir, Request request) throws IOException {
        createFolder(dir);
        RunFolder f = lock(dir, request.command());
        try {
            f.prepare(request);
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Locks an existing run folder without looking at its files or writing a record (e.g. {@code eval}, which adds
     * a file to a finished training run).
     */
    public static RunFolder lock(Path dir, String command) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("run folder " + dir + ": " + (Files.exists(dir) ? "not a folder" : "not found")
                    + "; expected a run folder");
        }
        Path key = dir.toRealPath();
        String who = describeSelf(command);
        RunFolder f;
        // one thread at a time: a second channel on a file this process has locked must never be opened (closing it
        // would drop the process's lock), so the in-process holders are checked first, under this monitor
        synchronized (HELD) {
            RunFolder held = HELD.get(key);
            if (held != null) throw busy(dir, held.holder);
            Path lockFile = dir.resolve(LOCK);
            FileChannel ch;
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            } catch (IOException e) {
                throw new IllegalArgumentException("out " + dir + ": cannot create the lock file " + LOCK + " ("
                        + IoErrors.reason(e) + "); expected a writable folder");
            }
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                ch.close();
                throw new IllegalArgumentException("out " + dir + ": cannot lock " + LOCK + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); expected a folder on a file system with file locks");
            }
            if (lock == null) {
                ch.close();
                throw busy(dir, readHolder(lockFile));
            }
            f = new RunFolder(dir, key, ch, lock, who);
            HELD.put(key, f);
        }
        try {
            byte[] text = (who + "\n").getBytes(StandardCharsets.UTF_8);
            f.channel.truncate(0);
            f.channel.write(ByteBuffer.wrap(text), 0);
        } catch (IOException e) {
            f.close();
            throw e;
        }
        AtomicFileWriter.removeStaleTemporaries(dir, true, Duration.ZERO);
        return f;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Whether the run starts from nothing (the folder was missing or empty, or was emptied by overwrite). */
    public boolean fresh() {
        return fresh;
    }

    /** The record as written to {@value #RECORD} (null for {@link #lock}). */
    public ObjectNode record() {
        return record;
    }

    /**
     * When the run was created (the record's {@code created}, kept across resumes); files that carry a date (ILDG)
     * get this one, so that a resumed run writes exactly the files the run would have written without a break.
     */
    public Instant created() {
        if (record != null) {
            try {
                return Instant.parse(record.path("created").asText());
            } catch (RuntimeException e) {
                // an older record: fall through
            }
        }
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The record of a run folder, if it has one. */
    public static Optional<JsonNode> readRecord(Path dir) {
        Path f = dir.resolve(RECORD);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(JSON.readTree(f.toFile()));
        } catch (IOException e) {
            throw new IllegalArgumentException("out " + dir + ": " + RECORD + " is damaged (" + IoErrors.describe(e)
                    + "); expected the record gaugeflow writes");
        }
    }

    /**
     * Tells the folder that the run got past its set-up (model built, chain started, ...) and may now leave results.
     * A fresh run that closes its folder before this call (its set-up failed) leaves the folder empty again, so that
     * the corrected command can use it.
     */
    public void markStarted() {
        started = true;
    }

    /** Releases the lock (idempotent); a fresh run that never {@link #markStarted started} leaves no files. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            if (fresh && !started && record != null) {
                try {
                    deleteContents();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("{}: could not remove the files of a run that did not start", dir, e);
                }
            }
            release();
            HELD.remove(key, this);
        }
    }

    private void release() {
        try {
            if (lock.isValid()) lock.release();
        } catch (IOException e) {
            // closing the channel releases it anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do: the process's exit releases the lock
        }
    }

    // ------------------------------------------------------------------ opening

    private static void createFolder(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("out " + dir + ": exists and is not a folder (a regular file); expected a"
                    + " folder for the run's files");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("out " + dir + ": cannot create the folder (" + IoErrors.describe(e) + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("out " + dir + ": permission denied; expected a writable folder");
        }
    }

    private void prepare(Request request) throws IOException {
        List<String> entries = entries();
        Optional<JsonNode> old = entries.contains(RECORD) ? readRecord(dir) : Optional.empty();
        switch (request.mode()) {
            case NEW -> {
                if (!entries.isEmpty()) {
                    throw new IllegalArgumentException("out " + dir + ": holds " + describeRun(old, entries)
                            + "; expected a new or empty folder, --resume to continue that run or --overwrite to replace it");
                }
                fresh = true;
            }
            case OVERWRITE -> {
                if (!entries.isEmpty()) {
                    requireOnlyOurs(entries, "--overwrite would delete");
                    requireNoOtherHolder(dir);
                    LOG.info("{}: deleting {} to overwrite it", dir, describeRun(old, entries));
                    deleteContents();
                }
                fresh = true;
                old = Optional.empty();
            }
            case RESUME -> {
                if (entries.isEmpty()) {
                    LOG.info("{}: nothing to resume; starting a new {} run", dir, request.command());
                    fresh = true;
                } else if (old.isEmpty()) {
                    requireOnlyOurs(entries, "--resume cannot tell which run made");
                    LOG.warn("{}: no {} (a folder written by an earlier gaugeflow); resuming without checking the "
                            + "configuration against a record", dir, RECORD);
                } else {
                    checkSameRun(old.get(), request);
                }
            }
            default -> throw new IllegalStateException(request.mode().toString());
        }
        record = fresh || old.isEmpty() ? newRecord(request) : resumedRecord((ObjectNode) old.get(), request);
        AtomicFileWriter.write(dir.resolve(RECORD), JSON.writeValueAsString(record) + "\n");
    }

    /** What the folder holds besides the lock file, sorted. */
    private List<String> entries() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.equals(LOCK)) out.add(n);
            }
        }
        out.sort(null);
        return out;
    }

    private String describeRun(Optional<JsonNode> record, List<String> entries) {
        String files = String.join(", ", entries.subList(0, Math.min(4, entries.size())))
                + (entries.size() > 4 ? " and " + (entries.size() - 4) + " more" : "");
        if (record.isPresent()) {
            JsonNode r = record.get();
            return "a '" + r.path("command").asText("?") + "' run created " + r.path("created").asText("?") + " (" + files + ")";
        }
        return "files of another run or program (" + files + ")";
    }

    private void requireOnlyOurs(List<String> entries, String what) {
        for (String e : entries) {
            boolean ours = KNOWN.contains(e) || e.endsWith(".png") || e.matches("eval-.+\\.json") || e.endsWith(".svg") || e.matches("\\..+\\.[0-9a-z]{1,13}\\.tmp");
            if (!ours) {
                throw new IllegalArgumentException("out " + dir + ": " + what + " '" + e + "', which gaugeflow does not write;"
                        + " expected a run folder (move that file away or choose another folder)");
            }
        }
    }

    /** Refuses to delete subfolders that another run holds (e.g. OUT/chain of a demo). */
    private static void requireNoOtherHolder(Path dir) throws IOException {
        synchronized (HELD) {
            requireNoOtherHolderLocked(dir);
        }
    }

    private static void requireNoOtherHolderLocked(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 4)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals(LOCK)).toList()) {
                Path folder = p.getParent();
                if (folder.equals(dir)) continue;
                Path k = folder.toRealPath();
                RunFolder held = HELD.get(k);
                if (held != null) throw busy(folder, held.holder);
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    if (ch.tryLock() == null) throw busy(folder, readHolder(p));
                } catch (OverlappingFileLockException e) {
                    throw busy(folder, "this process");
                }
            }
        }
    }

    private void deleteContents() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (p.equals(dir) || p.equals(dir.resolve(LOCK))) continue;
            try {
                Files.delete(p);
            } catch (FileSystemException e) {
                throw new IllegalArgumentException("out " + dir + ": --overwrite cannot delete " + IoErrors.describe(e));
            }
        }
    }

    private void checkSameRun(JsonNode old, Request request) {
        String cmd = old.path("command").asText("");
        if (!cmd.equals(request.command())) {
            throw new IllegalArgumentException("out " + dir + ": holds a '" + cmd + "' run (" + RECORD + "); --resume of '"
                    + request.command() + "' expected a '" + request.command() + "' run folder");
        }
        Map<String, JsonNode> was = flatten(old.path("configuration"));
        Map<String, JsonNode> now = flatten(JSON.valueToTree(request.configuration()));
        List<String> differences = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(was.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            if (request.mayChange().contains(k)) continue;
            JsonNode a = was.get(k);
            JsonNode b = now.get(k);
            if (!same(a, b)) differences.add(k + " " + text(a) + " -> " + text(b));
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("out " + dir + ": --resume with a configuration that differs from the recorded one ("
                    + RECORD + "): " + String.join(", ", differences) + "; expected the same"
                    + (request.mayChange().isEmpty() ? "" : " (only " + String.join(", ", new java.util.TreeSet<>(request.mayChange()))
                            + " may change)"));
        }
        String version = old.path("gaugeflow").path("commit").asText("");
        if (!version.isEmpty() && !version.equals(GaugeflowVersion.commit())) {
            LOG.warn("{}: resuming a run made by gaugeflow commit {} with commit {}; the continuation may differ from an "
                    + "uninterrupted run", dir, version, GaugeflowVersion.commit());
        }
    }

    /** Dotted keys of the leaves of a JSON tree (arrays are leaves). */
    static Map<String, JsonNode> flatten(JsonNode node) {
        Map<String, JsonNode> out = new TreeMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (node == null || node.isMissingNode()) return;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b || (a == null ? b.isNull() : a.isNull());
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private static String text(JsonNode n) {
        return n == null ? "(absent)" : n.isTextual() ? n.asText() : n.toString();
    }

    private ObjectNode newRecord(Request request) {
        ObjectNode r = JSON.createObjectNode();
        r.put("command", request.command());
        r.put("command_line", invocation != null ? invocation : request.command());
        ObjectNode v = r.putObject("gaugeflow");
        v.put("version", GaugeflowVersion.version());
        v.put("commit", GaugeflowVersion.commit());
        r.put("created", now());
        r.put("host", hostName());
        r.put("pid", ProcessHandle.current().pid());
        r.set("configuration", JSON.valueToTree(request.configuration()));
        r.set("seeds", JSON.valueToTree(request.seeds()));
        r.putArray("resumes");
        return r;
    }

    private ObjectNode resumedRecord(ObjectNode old, Request request) {
        ObjectNode r = old.deepCopy();
        Map<String, JsonNode> was = flatten(old.path("configuration"));
        Map<String, JsonNode> now = flatten(JSON.valueToTree(request.configuration()));
        ObjectNode entry = JSON.createObjectNode();
        entry.put("at", now());
        entry.put("command_line", invocation != null ? invocation : request.command());
        entry.put("host", hostName());
        entry.put("pid", ProcessHandle.current().pid());
        entry.put("gaugeflow", GaugeflowVersion.describe());
        ObjectNode changed = entry.putObject("changed");
        for (String k : new java.util.TreeSet<>(now.keySet())) {
            if (!same(was.get(k), now.get(k))) {
                ObjectNode c = changed.putObject(k);
                c.set("from", was.get(k));
                c.set("to", now.get(k));
            }
        }
        JsonNode resumes = r.get("resumes");
        ArrayNode list = resumes instanceof ArrayNode a ? a : r.putArray("resumes");
        list.add(entry);
        r.set("configuration", JSON.valueToTree(request.configuration()));
        return r;
    }

    // ------------------------------------------------------------------ holders

    private static String describeSelf(String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        m.put("host", hostName());
        m.put("command", invocation != null ? invocation : command);
        m.put("since", now());
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readHolder(Path lockFile) {
        try {
            return Files.readString(lockFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static BusyException busy(Path dir, String holderJson) {
        String who;
        try {
            JsonNode h = holderJson == null || holderJson.isBlank() ? null : new ObjectMapper().readTree(holderJson);
            if (h == null || !h.isObject()) {
                who = "another process (it has not written its name yet)";
            } else {
                String cmd = h.path("command").asText("?");
                if (cmd.length() > 160) cmd = cmd.substring(0, 157) + "...";
                boolean self = h.path("pid").asLong(-1) == ProcessHandle.current().pid();
                who = (self ? "this process, " : "") + "pid " + h.path("pid").asText("?") + " on " + h.path("host").asText("?")
                        + ", '" + cmd + "', since " + h.path("since").asText("?");
            }
        } catch (IOException e) {
            who = "another process";
        }
        return new BusyException("out " + dir + ": in use by another run (" + who + "); expected a folder that no other "
                + "run is writing: wait for it to end or choose another --out");
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) return h;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
