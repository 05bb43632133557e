package org.gaugeflow.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gaugeflow.analysis.Reliability;
import org.gaugeflow.group.U1;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gaugeflow hmc} run folders: a run stopped or killed (SIGKILL, at random moments) and resumed writes
 * history.csv and ILDG files byte for byte equal to those of an uninterrupted run; a chain that never moves says its
 * result is not reliable.
 */
class HmcProductionTest {
    @TempDir Path tmp;

    /** 2D U(1) 8x8, two chains, ILDG files every 10 measurement trajectories, a checkpoint every 7 trajectories. */
    static HmcProduction.Settings settings(Path out, String engine, RunFolder.Mode mode) {
        return new HmcProduction.Settings(out, U1.INSTANCE, Lattice.parse("8x8"),
                new HmcParameters(2.0, 1.0, 5, Integrator.OMELYAN), engine, 11, "hot", 2, 4, 116, FieldOptions.CPU_DOUBLE,
                1000, 10, 7, mode);
    }

    /**
     * Makes {@code b} the folder of the same run as {@code a} (its record, hence its creation date, which the ILDG
     * files carry), with nothing run yet: b's resumes must then write a's files byte for byte.
     */
    static void sameRun(Path a, Path b) throws Exception {
        Files.createDirectories(b);
        Files.copy(a.resolve(RunFolder.RECORD), b.resolve(RunFolder.RECORD));
    }

    /** The child of {@link #killedAtRandomMomentsAndResumedGivesTheSameFiles}: resumes the run, announcing each trajectory. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path out = Paths.get(args[0]);
            System.out.println("start");
            System.out.flush();
            HmcProduction.run(settings(out, "native", RunFolder.Mode.RESUME), (k, total, acc, field) -> {
                System.out.println("t " + k);
                System.out.flush();
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            System.out.println("done");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "torch"})
    void aStoppedRunResumesToTheSameFiles(String engine) throws Exception {
        Path a = tmp.resolve("a-" + engine);
        Path b = tmp.resolve("b-" + engine);
        HmcProduction.Result full = HmcProduction.run(settings(a, engine, RunFolder.Mode.NEW), null);
        sameRun(a, b);
        for (long stopAt : new long[] {5, 45, 46, 80}) {   // before the first checkpoint, mid-interval, twice
            assertNull(HmcProduction.run(settings(b, engine, RunFolder.Mode.RESUME),
                    (k, total, acc, f) -> {
                        if (k == stopAt) throw new HmcProduction.Stop();
                    }));
        }
        HmcProduction.Result resumed = HmcProduction.run(settings(b, engine, RunFolder.Mode.RESUME), null);
        assertSameFiles(a, b);
        assertEquals(full.json().get("plaquette"), resumed.json().get("plaquette"));
        JsonNode record = new ObjectMapper().readTree(b.resolve(RunFolder.RECORD).toFile());
        assertEquals(5, record.get("resumes").size());
    }

    @Test
    void killedAtRandomMomentsAndResumedGivesTheSameFiles() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        HmcProduction.run(settings(a, "native", RunFolder.Mode.NEW), null);
        sameRun(a, b);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Random random = new Random(16);
        for (int kill = 0; kill < 3; kill++) {
            Process p = new ProcessBuilder(java, "-Xss16m", "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    b.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("start", out.readLine());
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("t "), "the child did not run: " + line);
                if (kill == 0) {
                    // while the child runs, a second run on its folder is refused at once, naming it
                    RunFolder.BusyException e = assertThrows(RunFolder.BusyException.class,
                            () -> HmcProduction.run(settings(b, "native", RunFolder.Mode.RESUME), null));
                    assertTrue(e.getMessage().contains("pid " + p.pid()), e.getMessage());
                }
                long first = Long.parseLong(line.substring(2));
                long target = first + 1 + random.nextInt(25);
                while ((line = out.readLine()) != null && !(line.startsWith("t ") && Long.parseLong(line.substring(2)) >= target)) {
                    // wait for the chosen trajectory
                }
                assertTrue(line != null, "the child ended before trajectory " + target);
                Thread.sleep(random.nextInt(4));   // land anywhere: inside a trajectory, a write, a checkpoint
                p.destroyForcibly();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            }
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
        }
        HmcProduction.run(settings(b, "native", RunFolder.Mode.RESUME), null);
        assertSameFiles(a, b);
    }

    @Test
    void aChainThatNeverMovesIsNotReliable() throws Exception {
        // cold start, one leapfrog step of length 4: every trajectory's Delta H is large and positive
        HmcProduction.Settings s = new HmcProduction.Settings(tmp.resolve("stuck"), U1.INSTANCE, Lattice.parse("4x4"),
                new HmcParameters(2.0, 4.0, 1, Integrator.LEAPFROG), "native", 1, "cold", 1, 0, 30, FieldOptions.CPU_DOUBLE,
                1e9, 0, 100, RunFolder.Mode.NEW);
        HmcProduction.Result r = HmcProduction.run(s, null);
        assertEquals(0.0, r.json().get("acceptance"));
        assertEquals(false, r.json().get("reliable"));
        assertEquals(Reliability.DID_NOT_MOVE, r.json().get("reason"));
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("stuck").resolve(HmcProduction.SUMMARY).toFile());
        assertFalse(summary.get("reliable").asBoolean());
        assertEquals(1.0, summary.at("/plaquette/mean").asDouble());
        assertFalse(summary.at("/plaquette/reliable").asBoolean());
    }

    /** Same history bytes, same ILDG file names and bytes, and no temporary file left. */
    static void assertSameFiles(Path a, Path b) throws Exception {
        assertEquals(Files.readString(a.resolve(HmcProduction.HISTORY)), Files.readString(b.resolve(HmcProduction.HISTORY)));
        List<String> files = list(a.resolve(HmcProduction.CONFIGS));
        assertEquals(22, files.size());
        assertEquals(files, list(b.resolve(HmcProduction.CONFIGS)));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(HmcProduction.CONFIGS).resolve(f)),
                    Files.readAllBytes(b.resolve(HmcProduction.CONFIGS).resolve(f)), f);
        }
        assertEquals(list(a), list(b));
    }

    static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
