package org.gaugeflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders: the lock, the record, and what a new, resumed or overwriting run does with existing files. */
class RunFolderTest {
    @TempDir Path tmp;

    private static Map<String, Object> config(double beta, long batch, long steps) {
        Map<String, Object> theory = new LinkedHashMap<>();
        theory.put("beta", beta);
        theory.put("lattice", "8x8");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("theory", theory);
        c.put("batch", batch);
        c.put("steps", steps);
        return c;
    }

    private static RunFolder.Request request(RunFolder.Mode mode, Map<String, Object> config) {
        return new RunFolder.Request("test", config, Map.of("seed", 7), mode, Set.of("steps"));
    }

    /** The child process of {@link #aLockHeldByAnotherProcessIsRefusedAndFreedWhenItIsKilled}: holds a folder until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunFolder.setInvocation("gaugeflow test --out " + args[0]);
            RunFolder f = RunFolder.open(Paths.get(args[0]), request(RunFolder.Mode.NEW, config(2.0, 8, 10)));
            f.markStarted();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void aNewRunLocksTheFolderAndRecordsWhatMadeIt() throws Exception {
        Path dir = tmp.resolve("a/run");
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.NEW, config(2.0, 8, 10)))) {
            assertTrue(f.fresh());
            f.markStarted();
            JsonNode r = new ObjectMapper().readTree(dir.resolve(RunFolder.RECORD).toFile());
            assertEquals("test", r.get("command").asText());
            assertEquals(2.0, r.at("/configuration/theory/beta").asDouble());
            assertEquals(7, r.at("/seeds/seed").asInt());
            assertTrue(r.at("/gaugeflow/version").isTextual() && r.at("/gaugeflow/commit").isTextual());
            assertTrue(r.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), r.get("created").asText());
            JsonNode lock = new ObjectMapper().readTree(Files.readString(dir.resolve(RunFolder.LOCK)));
            assertEquals(ProcessHandle.current().pid(), lock.get("pid").asLong());

            // a second run on the folder in this process is refused at once, naming the holder
            RunFolder.BusyException e = assertThrows(RunFolder.BusyException.class,
                    () -> RunFolder.open(dir, request(RunFolder.Mode.RESUME, config(2.0, 8, 10))));
            assertTrue(e.getMessage().contains("in use by another run") && e.getMessage().contains("pid " + ProcessHandle.current().pid()),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        // released: the folder can be resumed now
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.RESUME, config(2.0, 8, 10)))) {
            assertFalse(f.fresh());
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedAndFreedWhenItIsKilled() throws Exception {
        Path dir = tmp.resolve("shared");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine());
            RunFolder.BusyException e = assertThrows(RunFolder.BusyException.class,
                    () -> RunFolder.open(dir, request(RunFolder.Mode.RESUME, config(2.0, 8, 10))));
            assertTrue(e.getMessage().contains("pid " + p.pid()) && e.getMessage().contains("gaugeflow test --out"), e.getMessage());
            assertTrue(e.getMessage().contains("since "), e.getMessage());
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        // the kernel released the killed process's lock: no stale lock
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.RESUME, config(2.0, 8, 20)))) {
            assertFalse(f.fresh());
            JsonNode r = f.record();
            assertEquals(1, r.get("resumes").size());
            assertEquals(20, r.at("/resumes/0/changed/steps/to").asInt());
            assertEquals(20, r.at("/configuration/steps").asInt());
        }
    }

    @Test
    void aFolderWithFilesIsRefusedUnlessResumedOrOverwritten() throws Exception {
        Path dir = tmp.resolve("old");
        Files.createDirectories(dir.resolve("configs"));
        Files.writeString(dir.resolve("history.csv"), "x\n");
        Files.writeString(dir.resolve("configs/c.ildg"), "y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunFolder.open(dir, request(RunFolder.Mode.NEW, config(2.0, 8, 10))));
        assertTrue(e.getMessage().contains("history.csv") && e.getMessage().contains("--resume")
                && e.getMessage().contains("--overwrite"), e.getMessage());
        assertTrue(Files.exists(dir.resolve("history.csv")));

        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.OVERWRITE, config(2.0, 8, 10)))) {
            assertTrue(f.fresh());
            f.markStarted();
            assertEquals(List.of(RunFolder.LOCK, RunFolder.RECORD), list(dir));
        }

        // files gaugeflow does not write are never deleted
        Files.writeString(dir.resolve("notes.txt"), "mine");
        e = assertThrows(IllegalArgumentException.class,
                () -> RunFolder.open(dir, request(RunFolder.Mode.OVERWRITE, config(2.0, 8, 10))));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        assertEquals(List.of(RunFolder.LOCK, "notes.txt", RunFolder.RECORD), list(dir));
    }

    @Test
    void resumeComparesTheConfigurationKeyByKey() throws Exception {
        Path dir = tmp.resolve("r");
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.NEW, config(2.0, 8, 10)))) {
            f.markStarted();
        }
        byte[] record = Files.readAllBytes(dir.resolve(RunFolder.RECORD));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunFolder.open(dir, request(RunFolder.Mode.RESUME, config(3.0, 64, 20))));
        assertTrue(e.getMessage().contains("theory.beta 2.0 -> 3.0") && e.getMessage().contains("batch 8 -> 64")
                && !e.getMessage().contains("steps 10"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(new String(record), Files.readString(dir.resolve(RunFolder.RECORD)), "a refused resume changes nothing");

        // another command's folder
        e = assertThrows(IllegalArgumentException.class, () -> RunFolder.open(dir,
                new RunFolder.Request("other", config(2.0, 8, 10), Map.of(), RunFolder.Mode.RESUME, Set.of())));
        assertTrue(e.getMessage().contains("holds a 'test' run"), e.getMessage());

        // equal numbers written differently are the same value
        Map<String, Object> same = config(2.0, 8, 10);
        same.put("batch", 8.0);
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.RESUME, same))) {
            f.markStarted();
        }
    }

    @Test
    void theOutputMustBeAFolderAndASetUpThatFailsLeavesItEmpty() throws Exception {
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunFolder.open(file, request(RunFolder.Mode.NEW, config(2.0, 8, 10))));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a folder"), e.getMessage());

        Path dir = tmp.resolve("failed");
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.NEW, config(2.0, 8, 10)))) {
            Files.writeString(dir.resolve("config.yaml"), "x");
            // set-up fails: no markStarted
        }
        assertEquals(List.of(RunFolder.LOCK), list(dir));
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.NEW, config(2.0, 8, 10)))) {
            assertTrue(f.fresh(), "the corrected command can use the folder");
        }
    }

    @Test
    void staleTemporaryFilesOfKilledWritesAreRemoved() throws Exception {
        Path dir = tmp.resolve("t");
        Files.createDirectories(dir.resolve("configs"));
        Path stale = Files.writeString(dir.resolve("configs/.cfg_00000004.ildg.1x2y3z.tmp"), "partial");
        Path other = Files.writeString(dir.resolve("configs/.hidden"), "not ours");
        try (RunFolder f = RunFolder.open(dir, request(RunFolder.Mode.RESUME, config(2.0, 8, 10)))) {
            f.markStarted();
        }
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other));

        // outside a locked folder: the first write into the folder removes unlocked leftovers old enough, and every
        // write removes the unlocked leftovers of its own target
        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain);
        Path old = Files.writeString(plain.resolve(".x.lime.abc.tmp"), "partial");
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path recent = Files.writeString(plain.resolve(".y.lime.def.tmp"), "being written?");
        Path sameTarget = Files.writeString(plain.resolve(".out.lime.ghi.tmp"), "killed");
        AtomicFileWriter.write(plain.resolve("out.lime"), "complete");
        assertFalse(Files.exists(old));
        assertFalse(Files.exists(sameTarget));
        assertTrue(Files.exists(recent), "younger than " + AtomicFileWriter.STALE_AGE + ": perhaps still being written");
        assertEquals(1, AtomicFileWriter.removeStaleTemporaries(plain, false, Duration.ZERO));
        assertEquals("complete", Files.readString(plain.resolve("out.lime")));
    }

    @Test
    void flattenGivesDottedKeys() {
        Map<String, JsonNode> f = RunFolder.flatten(new ObjectMapper().valueToTree(config(2.0, 8, 10)));
        assertEquals(new TreeMap<>(f).keySet().toString(), "[batch, steps, theory.beta, theory.lattice]");
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
