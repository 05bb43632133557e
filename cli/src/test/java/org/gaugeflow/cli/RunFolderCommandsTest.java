package org.gaugeflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.ensemble.SampleRun;
import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.HmcProduction;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run folders through the command line (docs/chains.md, "Run folders"): two runs on one folder, resumes that may not
 * change the run, the memory check, chains that did not move, and the one-line errors of the smaller cases.
 */
class RunFolderCommandsTest {
    @TempDir Path tmp;

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The second run, started while the first holds the folder: refused at once, naming the first's process. */
    private static void assertRefusedAsBusy(Run second) {
        assertEquals(2, second.status(), second.err());
        String err = second.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("in use by another run (this process, pid " + ProcessHandle.current().pid()), err);
    }

    // ------------------------------------------------------------------ two runs on one folder

    private static final String TRAIN_YAML = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: u1-flow, layers: 2, bins: 4, hidden: [4], kernel: 3}",
            "training: {batch: 8, steps: 6, lr: 0.01, seed: 5, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 16, eval_batch: 8}", "");

    private static void train(Path dir, TrainingRun.Listener listener) throws IOException {
        try (TrainingRun run = TrainingRun.start(RunConfig.parse(TRAIN_YAML, "c.yaml"), dir)) {
            run.train(listener);
            run.finish();
        }
    }

    @Test
    void twoTrainRunsOnOneFolder() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("c.yaml"), TRAIN_YAML);
        Path lone = tmp.resolve("lone");
        Path shared = tmp.resolve("shared");
        train(lone, null);
        Run[] second = new Run[1];
        train(shared, (r, s) -> {
            if (r.step() == 3) second[0] = run("train", cfg.toString(), "--out", shared.toString(), "--quiet");
        });
        assertRefusedAsBusy(second[0]);
        assertSameRunFolder(lone, shared);
    }

    private static HybridChain.Builder chain() {
        Lattice lat = Lattice.parse("4x4");
        return new HybridChain.Builder().chainId("c").theory(U1.INSTANCE, lat, 1.0).schedule(Schedule.independence()).seed(3)
                .proposalBatch(8).model(new HaarDensity(U1.INSTANCE, lat), FieldOptions.CPU_DOUBLE, "haar", "haar");
    }

    @Test
    void twoSampleRunsOnOneFolder() throws Exception {
        Path lone = tmp.resolve("lone");
        Path shared = tmp.resolve("shared");
        SampleRun.run(chain(), new SampleRun.Settings(lone, 40, 10, 5, 4, RunFolder.Mode.NEW, Precision.DOUBLE, -1), null, null);
        Run[] second = new Run[1];
        SampleRun.run(chain(), new SampleRun.Settings(shared, 40, 10, 5, 4, RunFolder.Mode.NEW, Precision.DOUBLE, -1), null,
                (done, total, st) -> {
                    if (done == 12) {
                        second[0] = run("sample", "--model", "haar", "--group", "u1", "--lattice", "4x4", "--beta", "1",
                                "--n", "40", "--out", shared.toString(), "--resume", "--quiet");
                    }
                });
        assertRefusedAsBusy(second[0]);
        assertSameRunFolder(lone, shared);
    }

    private static HmcProduction.Settings hmc(Path out) {
        return new HmcProduction.Settings(out, U1.INSTANCE, Lattice.parse("8x8"), new HmcParameters(2.0, 1.0, 5, Integrator.OMELYAN),
                "native", 2, "cold", 1, 5, 30, FieldOptions.CPU_DOUBLE, 1000, 10, 4, RunFolder.Mode.NEW);
    }

    @Test
    void twoHmcRunsOnOneFolder() throws Exception {
        Path lone = tmp.resolve("lone");
        Path shared = tmp.resolve("shared");
        HmcProduction.run(hmc(lone), null);
        Run[] second = new Run[1];
        HmcProduction.run(hmc(shared), (k, total, acc, f) -> {
            if (k == 7) {
                second[0] = run("hmc", "--group", "u1", "--lattice", "8x8", "--beta", "2.0", "--out", shared.toString(),
                        "--overwrite", "--quiet");
            }
        });
        assertRefusedAsBusy(second[0]);
        assertSameRunFolder(lone, shared);
    }

    /**
     * The same files with the same contents, except what records time and process: seconds in summaries, metrics and
     * checkpoints, the record's creation time and process, and the ILDG files' write date (their data and checksum
     * are compared).
     */
    private static void assertSameRunFolder(Path a, Path b) throws IOException {
        Map<String, Path> fa = files(a);
        Map<String, Path> fb = files(b);
        assertEquals(fa.keySet(), fb.keySet());
        ObjectMapper json = new ObjectMapper();
        for (String name : fa.keySet()) {
            Path x = fa.get(name);
            Path y = fb.get(name);
            if (name.endsWith(".ildg")) {
                try (PointerScope s = new PointerScope()) {
                    IldgConfiguration cx = IldgReader.read(x);
                    IldgConfiguration cy = IldgReader.read(y);
                    assertEquals(cx.computed(), cy.computed(), name);
                    assertEquals(cx.info().provenance(), cy.info().provenance(), name);
                }
            } else if (name.equals(RunFolder.RECORD) || name.endsWith("summary.json") || name.endsWith("checkpoint.json")) {
                assertEquals(withoutVolatile(json.readTree(x.toFile())), withoutVolatile(json.readTree(y.toFile())), name);
            } else if (name.equals("metrics.csv")) {
                assertEquals(withoutLastColumn(x), withoutLastColumn(y), name);
            } else if (name.endsWith(".csv") || name.endsWith(".yaml")) {
                assertEquals(Files.readString(x), Files.readString(y), name);
            }
        }
    }

    private static JsonNode withoutVolatile(JsonNode n) {
        ObjectNode o = n.deepCopy();
        for (String k : List.of("created", "pid", "host", "command_line", "resumes", "seconds", "trajectories_per_second", "threads")) {
            o.remove(k);
        }
        return o;
    }

    private static List<String> withoutLastColumn(Path f) throws IOException {
        return Files.readAllLines(f).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private static Map<String, Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            Map<String, Path> m = new TreeMap<>();
            s.filter(Files::isRegularFile).forEach(p -> m.put(dir.relativize(p).toString(), p));
            return m;
        }
    }

    // ------------------------------------------------------------------ resumes that may not change the run

    @Test
    void trainResumeWithAChangedBetaIsRefusedAndChangesNothing() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("c.yaml"), TRAIN_YAML);
        Path out = tmp.resolve("run");
        assertEquals(0, run("train", cfg.toString(), "--out", out.toString(), "--steps", "3", "--quiet").status());
        Map<String, byte[]> before = contents(out);
        Path changed = Files.writeString(tmp.resolve("changed.yaml"),
                TRAIN_YAML.replace("beta: 1.0", "beta: 2.0").replace("batch: 8", "batch: 64"));
        Run r = run("train", changed.toString(), "--out", out.toString(), "--resume", "--quiet");
        assertEquals(2, r.status(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("theory.beta 1.0 -> 2.0") && err.contains("training.batch 8 -> 64")
                && err.contains("training.steps"), err);
        assertEqualContents(before, contents(out));

        // the number of steps may change: the run goes on to 6 steps
        r = run("train", cfg.toString(), "--out", out.toString(), "--resume", "--quiet");
        assertEquals(0, r.status(), r.err());
        JsonNode record = new ObjectMapper().readTree(out.resolve(RunFolder.RECORD).toFile());
        assertEquals(6, record.at("/resumes/0/changed/training.steps/to").asInt());
        assertTrue(r.err().contains("WARN") && r.err().contains("learning-rate schedule"), r.err());
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (Map.Entry<String, Path> e : files(dir).entrySet()) m.put(e.getKey(), Files.readAllBytes(e.getValue()));
        return m;
    }

    private static void assertEqualContents(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            if (k.equals(RunFolder.LOCK)) continue;   // names the last process that held the folder
            assertTrue(Arrays.equals(a.get(k), b.get(k)), k + " changed");
        }
    }

    @Test
    void hmcResumeExtendsARunAndOverwriteReplacesIt() throws Exception {
        Path out = tmp.resolve("hmc");
        String[] args = {"hmc", "--group", "u1", "--lattice", "4x4", "--beta", "1.0", "--trajectories", "20", "--therm", "5",
                "--save-every", "10", "--out", out.toString(), "--quiet"};
        assertEquals(0, run(args).status());
        Run again = run(args);
        assertEquals(2, again.status());
        assertTrue(again.err().contains("holds a 'hmc' run") && again.err().contains("--resume"), again.err());
        String[] more = args.clone();
        more[8] = "40";
        assertEquals(0, run(append(more, "--resume")).status());
        assertEquals(1 + 45, Files.readAllLines(out.resolve("history.csv")).size());
        String[] otherBeta = args.clone();
        otherBeta[6] = "1.5";
        Run beta = run(append(otherBeta, "--resume"));
        assertEquals(2, beta.status());
        assertTrue(beta.err().contains("beta 1.0 -> 1.5"), beta.err());
        assertEquals(0, run(append(args, "--overwrite")).status());
        assertEquals(1 + 25, Files.readAllLines(out.resolve("history.csv")).size());
    }

    private static String[] append(String[] a, String... more) {
        List<String> l = new ArrayList<>(Arrays.asList(a));
        l.addAll(Arrays.asList(more));
        return l.toArray(String[]::new);
    }

    // ------------------------------------------------------------------ memory check

    @Test
    void aTooLargeLatticeIsRefusedWithinASecondWithTheEstimate() throws Exception {
        TorchRuntime.configure();   // the check, not the start of LibTorch, is what must be fast
        Path cfg = Files.writeString(tmp.resolve("huge.yaml"), TRAIN_YAML.replace("4x4", "1048576x1048576"));
        Path out = tmp.resolve("huge");
        long t0 = System.nanoTime();
        Run r = run("train", cfg.toString(), "--out", out.toString(), "--quiet");
        Run h = run("hmc", "--group", "u1", "--lattice", "1048576x1048576", "--beta", "1", "--out", out.toString(), "--quiet");
        double seconds = (System.nanoTime() - t0) * 1e-9;
        assertTrue(seconds < 2.0, "both refused in " + seconds + " s");
        for (Run x : List.of(r, h)) {
            assertEquals(2, x.status(), x.err());
            String err = x.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.matches("gaugeflow: memory: .* 1048576x1048576.* needs about [0-9.]+ [TPE]B .*more than the limit of .*"), err);
        }
        assertFalse(Files.exists(out), "nothing was created");
        Run limit = run("hmc", "--group", "u1", "--lattice", "8x8", "--beta", "1", "--out", out.toString(), "--memory-limit", "1K");
        assertEquals(2, limit.status());
        assertTrue(limit.err().contains("limit of 1.00 KB (--memory-limit)"), limit.err());
        assertEquals(2, run("hmc", "--group", "u1", "--lattice", "8x8", "--beta", "1", "--out", out.toString(),
                "--memory-limit", "lots").status());
    }

    // ------------------------------------------------------------------ chains that do not move

    @Test
    void aChainThatNeverMovesSaysSoAndHasNoErrorBar() throws Exception {
        Path out = tmp.resolve("stuck");
        Run r = run("hmc", "--group", "u1", "--lattice", "4x4", "--beta", "2.0", "--trajectories", "30", "--therm", "0",
                "--tau", "4", "--steps", "1", "--integrator", "leapfrog", "--max-dh", "1e9", "--out", out.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("plaquette                    1.000000 (no error: chain did not move, acceptance 0)"), r.out());
        assertFalse(r.out().contains("+- 0.000000"), r.out());
        assertTrue(r.err().contains("WARN") && r.err().contains("not reliable"), r.err());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertFalse(s.get("reliable").asBoolean());
        assertEquals("chain did not move, acceptance 0", s.get("reason").asText());
    }

    @Test
    void hmcDefaultsToOmelyan() throws Exception {
        Path out = tmp.resolve("default");
        Run r = run("hmc", "--group", "u1", "--lattice", "4x4", "--beta", "1.0", "--trajectories", "5", "--therm", "0",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.status(), r.err());
        assertEquals("omelyan", new ObjectMapper().readTree(out.resolve("summary.json").toFile()).at("/parameters/integrator").asText());
        assertTrue(r.out().contains("unreliable") || r.out().contains("not reliable"), "5 trajectories: " + r.out());
    }

    // ------------------------------------------------------------------ one-line errors

    @Test
    void smallerCasesGiveOneLineErrorsNamingTheFileOrKey() throws Exception {
        Path dup = Files.writeString(tmp.resolve("dup.yaml"), TRAIN_YAML.replace("beta: 1.0}", "beta: 1.0, beta: 2.0}"));
        assertOneLine(run("train", dup.toString(), "--out", tmp.resolve("d").toString()), 2, "dup.yaml", "Duplicate");

        Path eb = Files.writeString(tmp.resolve("eb.yaml"), TRAIN_YAML.replace("eval_batch: 8", "eval_batch: 0"));
        assertOneLine(run("train", eb.toString(), "--out", tmp.resolve("e").toString()), 2, "training.eval_batch = 0");

        for (String lattice : new String[] {"8x8x", "8x8x8x8x", "x8"}) {
            assertOneLine(run("hmc", "--group", "u1", "--lattice", lattice, "--beta", "1", "--out", tmp.resolve("l").toString()),
                    2, "lattice '" + lattice + "'");
        }
        assertOneLine(run("hmc", "--group", "u1", "--lattice", "1000000000x1000000000x1000000000x1000000000", "--beta", "1",
                "--out", tmp.resolve("l").toString()), 2, "overflows 64-bit");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertOneLine(run("hmc", "--group", "u1", "--lattice", "4x4", "--beta", "1", "--out", file.toString()), 2,
                file.toString(), "not a folder");

        // a damaged checkpoint, and one whose model does not match config.yaml
        Path model = tmp.resolve("model");
        Path cfg = Files.writeString(tmp.resolve("c.yaml"), TRAIN_YAML);
        assertEquals(0, run("train", cfg.toString(), "--out", model.toString(), "--steps", "2", "--quiet").status());
        Path config = model.resolve("config.yaml");
        Files.writeString(config, TRAIN_YAML.replace("hidden: [4]", "hidden: [6]"));
        assertOneLine(run("eval", model.toString(), "--samples", "10"), 2, "best.pt", "do not fit the model of config.yaml");
        Files.writeString(config, TRAIN_YAML.replace("layers: 2", "layers: 3"));
        assertOneLine(run("eval", model.toString(), "--samples", "10"), 2, "best.pt", "do not fit the model of config.yaml");
        Files.writeString(config, TRAIN_YAML);
        // eval and sample load the held-out best weights (best.pt) unless told --last, which loads checkpoint.pt
        Files.write(model.resolve("best.pt"), new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2, 3});
        assertOneLine(run("sample", "--model", model.toString(), "--n", "5", "--out", tmp.resolve("s").toString(), "--quiet"), 2,
                "best.pt", "damaged or not a gaugeflow checkpoint");
        Files.write(model.resolve("checkpoint.pt"), new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2, 3});
        assertOneLine(run("eval", model.toString(), "--samples", "10", "--last"), 2,
                "checkpoint.pt", "damaged or not a gaugeflow checkpoint");
    }

    private static void assertOneLine(Run r, int status, String... parts) {
        String err = r.err().strip();
        assertEquals(status, r.status(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("gaugeflow: ") && !err.contains("Exception") && !err.contains("\tat "), err);
        for (String p : parts) assertTrue(err.contains(p), "'" + p + "' in: " + err);
    }
}
