package org.gaugeflow.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.TensorVector;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.training.Checkpoint;
import org.gaugeflow.training.Parallelism;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingMetrics;
import org.gaugeflow.training.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training across processes on LibTorch's c10d (Gloo, CPU, float64). One launch of two worker processes
 * (JVMs are slow to start on the shared build machine, so it is shared by the tests) trains a U(1) multiscale model for 3
 * steps, an SU(2) fine-lattice flow and an SU(3) multiscale model for 2 steps each, then a U(1) flow for 8 steps in which rank 1 kills itself with SIGKILL after step 5; a second launch resumes
 * the killed run. The tests check that two ranks with local batch B/2 take the same steps as one process drawing both
 * shards of the global batch B (to 1e-10), that the surviving rank stops within the timeout with a one-line error
 * naming rank 1 while the checkpoint on disk (step 4) stays intact, and that the resumed run ends where an
 * uninterrupted run ends.
 */
class DataParallelTrainingTest {
    static final String MULTISCALE = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: multiscale, scm_layers: 1, scm_hidden: [4], fine_layers: 1, hidden: [4]}",
            "training: {batch: 8, steps: 3, lr: 0.01, seed: 5, precision: float64, metrics_interval: 1, estimator: path,",
            "           checkpoint_interval: 3, eval_samples: 16, eval_batch: 8, heldout_every: 0}", "");
    static final String U1_FLOW = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: u1-flow, layers: 2, hidden: [4]}",
            "training: {batch: 6, steps: 8, lr: 0.01, seed: 7, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 16, eval_batch: 8, heldout_every: 4, heldout_samples: 8}", "");
    static final String SU2_FLOW = String.join("\n",
            "theory: {group: su2, lattice: 4x4, beta: 1.0}",
            "model: {type: sun-flow, iterations: 1, hidden: [4], bins: 4, init_scale: 0.1}",
            "training: {batch: 4, steps: 2, lr: 0.01, seed: 9, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 8, eval_batch: 4, heldout_every: 0}", "");
    static final String SU3_MULTISCALE = String.join("\n",
            "theory: {group: su3, lattice: 4x4, beta: 1.0}",
            "model: {type: sun-multiscale, scm_iterations: 1, hidden: [4], bins: 4, init_scale: 0.1, fine_iterations: 0}",
            "training: {batch: 4, steps: 2, lr: 0.01, seed: 11, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 8, eval_batch: 4, heldout_every: 0}", "");
    /** The runs of the first launch that end normally, with their steps. */
    static final Map<String, Long> FINISHED = Map.of("ms", 3L, "su2", 2L, "su3ms", 2L);
    static final int TIMEOUT_SECONDS = 20;

    @TempDir static Path tmp;
    static LocalLauncher.Outcome killed;
    static double killedSeconds;
    static String rank0Errors;
    static long stepOnDisk;
    static double[] parametersOnDisk;
    static boolean tmpFilesLeft;

    /** The shared launch: multiscale for 3 steps, then the U(1) flow run whose rank 1 dies after step 5. */
    @BeforeAll
    static void launchTwoRanks() throws Exception {
        org.bytedeco.pytorch.global.torch.set_num_threads(1);
        Files.writeString(tmp.resolve("ms.yaml"), MULTISCALE);
        Files.writeString(tmp.resolve("u1.yaml"), U1_FLOW);
        Files.writeString(tmp.resolve("su2.yaml"), SU2_FLOW);
        Files.writeString(tmp.resolve("su3ms.yaml"), SU3_MULTISCALE);
        long t0 = System.nanoTime();
        killed = launch("logs1", "--timeout", Integer.toString(TIMEOUT_SECONDS), "--kill", "1:5",
                tmp.resolve("ms.yaml").toString(), tmp.resolve("ms").toString(), tmp.resolve("su2.yaml").toString(),
                tmp.resolve("su2").toString(), tmp.resolve("su3ms.yaml").toString(), tmp.resolve("su3ms").toString(),
                tmp.resolve("u1.yaml").toString(), tmp.resolve("u1").toString());
        killedSeconds = (System.nanoTime() - t0) / 1e9;
        rank0Errors = String.join("\n", Files.readString(tmp.resolve("logs1").resolve("rank-0.err")).lines()
                .filter(l -> l.startsWith("gaugeflow:")).toList());
        System.out.println("launch with a killed rank (" + killedSeconds + " s): " + killed.message() + "; rank 0: " + rank0Errors);
        Path u1 = tmp.resolve("u1");
        try (var files = Files.list(u1)) {
            tmpFilesLeft = files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
        TrainedModel onDisk = TrainedModel.load(u1, true);
        stepOnDisk = onDisk.step();
        parametersOnDisk = flat(onDisk.module());
    }

    private static LocalLauncher.Outcome launch(String logs, String... args) throws Exception {
        return LocalLauncher.run(new LocalLauncher.Spec(2, TrainWorker.class.getName(), List.of(args), 1,
                Duration.ofSeconds(TIMEOUT_SECONDS), true, Map.of(), tmp.resolve(logs)));
    }

    @Test
    void twoRanksTakeTheStepsOfOneProcessDrawingBothShards() throws Exception {
        // U(1) multiscale (path gradient), SU(2) fine-lattice flow and SU(3) multiscale: all their steps; the U(1) flow:
        // the checkpoint of step 4 of the killed run
        for (String name : new String[] {"ms", "su2", "su3ms", "u1"}) {
            RunConfig cfg = RunConfig.load(tmp.resolve(name + ".yaml"));
            long steps = FINISHED.getOrDefault(name, 4L);
            Module reference = TrainedModel.build(cfg);
            double[] init = flat(reference);
            List<TrainingMetrics.Row> rows = new ArrayList<>();
            try (TrainingRun run = TrainingRun.inMemory(reference, cfg.theory(), cfg.training(), Parallelism.simulated(2))) {
                for (int i = 0; i < steps; i++) rows.add(new TrainingMetrics.Row(i + 1, run.trainer().trainStep().stats().loss(),
                        0, 0, 0, 0, 0, 0, 0, 0));
            }
            double[] a = flat(reference);
            double[] b = FINISHED.containsKey(name) ? flat(TrainedModel.load(tmp.resolve(name), true).module()) : parametersOnDisk;
            assertEquals(a.length, b.length);
            double max = 0;
            double moved = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
                moved = Math.max(moved, Math.abs(a[i] - init[i]));
            }
            System.out.printf("%s: %d parameters after %d steps, max |2 ranks - 1 process| = %.3g (moved by up to %.3g)%n",
                    name, a.length, steps, max, moved);
            assertTrue(max < 1e-10, name + ": parameters differ by " + max);
            assertTrue(moved > 1e-4, name + ": the steps moved the parameters by only " + moved);
            List<TrainingMetrics.Row> written = TrainingMetrics.read(tmp.resolve(name).resolve(TrainingMetrics.FILE), steps).rows();
            for (int i = 0; i < steps; i++) {
                assertEquals(rows.get(i).loss(), written.get(i).loss(), 1e-7 * Math.abs(rows.get(i).loss()),
                        name + ": loss of the global batch at step " + (i + 1));
            }
        }
        assertTrue(Files.isRegularFile(tmp.resolve("ms").resolve(TrainingRun.SUMMARY)), "rank 0 wrote the summary");
    }

    @Test
    void aKilledRankStopsTheOtherWithinTheTimeoutAndTheCheckpointStaysIntact() {
        assertEquals(1, killed.failedRank(), killed.message());
        assertTrue(killed.message().startsWith("rank 1 (pid ") && killed.message().contains("signal 9"), killed.message());
        assertEquals(1, killed.exitCodes()[0], "rank 0 stops with an error, not killed by the launcher: " + killed.message());
        assertEquals(1, rank0Errors.lines().count(), rank0Errors);
        assertTrue(rank0Errors.startsWith("gaugeflow: rank 1 stopped responding (died or hung) during step 6"), rank0Errors);
        assertEquals(4, stepOnDisk, "the checkpoint of step 4");
        assertTrue(!tmpFilesLeft, "no temporary files");
    }

    @Test
    void theKilledRunResumesToTheUninterruptedResult() throws Exception {
        LocalLauncher.Outcome resumed = launch("logs2", "--timeout", "60", "--resume", tmp.resolve("u1.yaml").toString(),
                tmp.resolve("u1").toString());
        assertTrue(resumed.succeeded(), resumed.message() + "\n" + logs(tmp.resolve("logs2")));
        RunConfig cfg = RunConfig.load(tmp.resolve("u1.yaml"));
        Module reference = TrainedModel.build(cfg);
        List<TrainingMetrics.Row> rows;
        try (TrainingRun r = TrainingRun.inMemory(reference, cfg.theory(), cfg.training(), Parallelism.simulated(2))) {
            r.train(null);
            rows = r.metrics().rows();
        }
        Path run = tmp.resolve("u1");
        TrainedModel ranks = TrainedModel.load(run, true);
        assertEquals(8, ranks.step());
        double[] a = flat(reference);
        double[] b = flat(ranks.module());
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        System.out.printf("resumed: max |resumed 2 ranks - uninterrupted| = %.3g%n", max);
        assertTrue(max < 1e-10, "parameters differ by " + max);
        List<TrainingMetrics.Row> written = TrainingMetrics.read(run.resolve(TrainingMetrics.FILE), 8).rows();
        assertEquals(8, written.size(), "metrics.csv without gap or duplicate");
        for (int i = 0; i < 8; i++) assertEquals(i + 1, written.get(i).step());
        assertEquals(rows.get(7).loss(), written.get(7).loss(), 1e-7 * Math.abs(rows.get(7).loss()));
        assertTrue(Files.isRegularFile(run.resolve(Checkpoint.BEST)));
        assertTrue(Files.isRegularFile(run.resolve(TrainingRun.SUMMARY)));
    }

    static double[] flat(Module m) {
        try (PointerScope s = new PointerScope()) {
            TensorVector ps = m.parameters();
            List<Double> out = new ArrayList<>();
            for (long i = 0; i < ps.size(); i++) for (double v : Tensors.toArray(ps.get(i))) out.add(v);
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static String logs(Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        if (!Files.isDirectory(dir)) return "";
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) b.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
        }
        return b.toString();
    }
}
