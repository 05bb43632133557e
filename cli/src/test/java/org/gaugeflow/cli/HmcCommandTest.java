package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gaugeflow.hmc.ConfigurationWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gaugeflow hmc}: outputs, their formats, and bad input (one-line errors, exit codes, no corrupted files). */
class HmcCommandTest {

    @TempDir
    Path tmp;

    /** Runs the CLI and returns {exit status, stderr}. */
    private static Object[] execute(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.execute(args);
            return new Object[] {rc, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(saved);
        }
    }

    private static String[] base(Path out, String... extra) {
        String[] b = {"hmc", "--group", "u1", "--lattice", "8x8", "--beta", "2.0", "--trajectories", "40", "--therm", "10",
                "--tau", "1.0", "--steps", "10", "--integrator", "leapfrog", "--seed", "1", "--quiet", "--out", out.toString()};
        return Stream.concat(Stream.of(b), Stream.of(extra)).toArray(String[]::new);
    }

    @ParameterizedTest
    @CsvSource({"native", "torch"})
    void writesSummaryHistoryAndPlot(String engine) throws IOException {
        Path out = tmp.resolve("run-" + engine);
        Object[] r = execute(base(out, "--engine", engine, "--chains", "2"));
        assertEquals(0, r[0], (String) r[1]);
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : new String[] {"mean", "error", "tau_int"}) {
            assertTrue(s.path("plaquette").path(key).isNumber(), "plaquette." + key);
        }
        assertTrue(s.path("exp_minus_dH").path("mean").isNumber());
        assertTrue(s.path("exp_minus_dH").path("error").isNumber());
        assertTrue(s.path("topological_charge_squared").path("mean").isNumber());
        double acc = s.path("acceptance").asDouble(-1);
        assertTrue(acc > 0.5 && acc <= 1.0, "acceptance " + acc);
        assertTrue(s.path("seconds").asDouble() > 0);
        assertEquals(engine, s.path("parameters").path("engine").asText());
        assertEquals("8x8", s.path("parameters").path("lattice").asText());
        assertEquals(2.0, s.path("parameters").path("beta").asDouble());
        assertEquals(1, s.path("seeds").path("seed").asLong());
        double mean = s.path("plaquette").path("mean").asDouble();
        assertTrue(mean > 0.6 && mean < 0.8, "plaquette " + mean);

        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        assertEquals("trajectory,chain,thermalization,dH,accepted,plaquette,Q", lines.get(0));
        assertEquals(1 + 50 * 2, lines.size());
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals("49", last[0]);
        assertEquals("1", last[1]);
        assertEquals("0", last[2]);
        byte[] png = Files.readAllBytes(out.resolve("plaquette_history.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(".gaugeflow.lock", "checkpoint.bin", "history.csv", "plaquette_history.png",
                    "plaquette_history.svg", "run.json", "summary.json"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    /** --save-every writes ILDG files whose plaquette is the one history.csv records for that trajectory. */
    @Test
    void savesConfigurationsAsIldg() throws IOException {
        Path out = tmp.resolve("configs-run");
        Object[] r = execute(base(out, "--save-every", "20", "--chains", "2", "--engine", "torch"));
        assertEquals(0, r[0], (String) r[1]);
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        for (int chain = 0; chain < 2; chain++) {
            for (long k : new long[] {29, 49}) {
                Path file = out.resolve("configs").resolve(ConfigurationWriter.name("u1_8x8_b2.0", chain, k));
                assertTrue(Files.exists(file), file.toString());
                try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
                    org.gaugeflow.field.GaugeField f = org.gaugeflow.io.ildg.IldgGaugeFields.read(file,
                            org.gaugeflow.io.ildg.IldgReader.Options.defaults(),
                            org.gaugeflow.tensor.FieldOptions.CPU_DOUBLE).field();
                    double plaquette = org.gaugeflow.physics.WilsonAction.averagePlaquette(f).item_double();
                    String[] row = history.get(1 + (int) k * 2 + chain).split(",");
                    assertEquals(Long.toString(k), row[0]);
                    assertEquals(Double.parseDouble(row[5]), plaquette, 1e-12);
                }
            }
        }
        try (Stream<Path> files = Files.list(out.resolve("configs"))) {
            assertEquals(4, files.count());
        }
    }

    /** The same seed gives the same history (CPU, native engine). */
    @Test
    void sameSeedSameHistory() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, execute(base(a))[0]);
        assertEquals(0, execute(base(b))[0]);
        assertEquals(Files.readAllLines(a.resolve("history.csv")), Files.readAllLines(b.resolve("history.csv")));
    }

    /**
     * A step size so large that the integrator blows up: exit 1, one line, no summary or plot; a folder that holds
     * another program's files is refused before any work and left untouched.
     */
    @ParameterizedTest
    @CsvSource({"native", "torch"})
    void blownUpIntegratorFailsCleanly(String engine) throws IOException {
        Path out = tmp.resolve("blowup-" + engine);
        String[] args = {"hmc", "--group", "u1", "--lattice", "8x8", "--beta", "2.0", "--trajectories", "20",
                "--therm", "0", "--tau", "50", "--steps", "1", "--engine", engine, "--quiet", "--out", out.toString()};
        Object[] r = execute(args);
        assertEquals(1, r[0]);
        String err = ((String) r[1]).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("integrator unstable") && err.contains("Delta H"), err);
        assertFalse(Files.exists(out.resolve("summary.json")));
        assertFalse(Files.exists(out.resolve("plaquette_history.png")));

        Path other = tmp.resolve("other-" + engine);
        Files.createDirectories(other);
        Files.writeString(other.resolve("summary.json"), "{\"earlier\": true}\n");
        args[args.length - 1] = other.toString();
        r = execute(args);
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("holds files of another run or program (summary.json)"), (String) r[1]);
        assertEquals("{\"earlier\": true}\n", Files.readString(other.resolve("summary.json")));
        try (Stream<Path> files = Files.list(other)) {
            assertEquals(List.of(".gaugeflow.lock", "summary.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** Without the Grid bridge built, --engine grid is refused before any work with the one-line reason. */
    @Test
    void gridEngineWithoutGridIsRefusedWithTheReason() {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.gaugeflow.grid.GridBridge.available(), "Grid bridge is built");
        Path out = tmp.resolve("grid");
        String[] args = base(out, "--engine", "grid");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--group")) args[i + 1] = "su3";
            if (args[i].equals("--lattice")) args[i + 1] = "4x4x4x4";
        }
        Object[] r = execute(args);
        String err = ((String) r[1]).strip();
        assertEquals(2, r[0], err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("gaugeflow: engine grid: Grid not found: set GRID_PREFIX"), err);
        assertFalse(Files.exists(out.resolve("summary.json")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--beta|-1|beta = -1.0",
            "--lattice|8x1|extent L_1 = 1",
            "--lattice|8|dimension d = 1",
            "--group|so3|group 'so3'",
            "--group|su7|engine native: it supports u1, su2 and su3, not su7",
            "--integrator|verlet|integrator 'verlet'",
            "--engine|quda|engine 'quda'",
            "--steps|0|steps = 0",
            "--tau|-1|tau = -1.0",
            "--trajectories|0|trajectories = 0",
            "--beta|abc|--beta"})
    void badInputIsRefusedWithOneLine(String option, String value, String expected) {
        Path out = tmp.resolve("bad");
        String[] args = base(out);
        boolean replaced = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option)) {
                args[i + 1] = value;
                replaced = true;
            }
        }
        if (!replaced) {
            args = base(out, option, value);
        }
        Object[] r = execute(args);
        String err = ((String) r[1]).strip();
        assertEquals(2, r[0], err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("gaugeflow: ") && err.contains(expected), err);
        assertFalse(err.contains("Exception"), err);
        assertFalse(Files.exists(out.resolve("summary.json")));
    }
}
