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
 * Data-parallel training across processes on LibTorch's c10d (Gloo, CPU, float64): two ranks with local batch B/2 take
 * the same steps as one process drawing both shards of the global batch B; a rank killed with SIGKILL stops the other
 * within the timeout with a one-line error naming it, the checkpoint on disk stays intact, and the run resumes to the
 * result of an uninterrupted run.
 */
class DataParallelTrainingTest {
    static final String U1_FLOW = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: u1-flow, layers: 2, hidden: [4]}",
            "training: {batch: 8, steps: 3, lr: 0.01, seed: 3, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 3, eval_samples: 16, eval_batch: 8, heldout_every: 0}", "");
    static final String MULTISCALE = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: multiscale, scm_layers: 1, scm_hidden: [4], fine_layers: 1, hidden: [4]}",
            "training: {batch: 8, steps: 3, lr: 0.01, seed: 5, precision: float64, metrics_interval: 1, estimator: path,",
            "           checkpoint_interval: 3, eval_samples: 16, eval_batch: 8, heldout_every: 0}", "");
    static final String KILLED = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: u1-flow, layers: 2, hidden: [4]}",
            "training: {batch: 6, steps: 8, lr: 0.01, seed: 7, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 2, eval_samples: 16, eval_batch: 8, heldout_every: 4, heldout_samples: 8}", "");

    @BeforeAll
    static void oneThread() { org.bytedeco.pytorch.global.torch.set_num_threads(1); }

    private static LocalLauncher.Outcome launch(Path logs, String... args) throws Exception {
        return LocalLauncher.run(new LocalLauncher.Spec(2, TrainWorker.class.getName(), List.of(args), 1,
                Duration.ofSeconds(20), true, Map.of(), logs));
    }

    @Test
    void twoRanksTakeTheStepsOfOneProcessDrawingBothShards(@TempDir Path tmp) throws Exception {
        Path u1 = Files.writeString(tmp.resolve("u1.yaml"), U1_FLOW);
        Path ms = Files.writeString(tmp.resolve("ms.yaml"), MULTISCALE);
        LocalLauncher.Outcome o = launch(tmp.resolve("logs"), "--timeout", "60", u1.toString(), tmp.resolve("u1").toString(),
                ms.toString(), tmp.resolve("ms").toString());
        assertTrue(o.succeeded(), o.message() + "\n" + logs(tmp.resolve("logs")));
        for (String name : new String[] {"u1", "ms"}) {
            RunConfig cfg = RunConfig.load(tmp.resolve(name + ".yaml"));
            Module reference = TrainedModel.build(cfg);
            List<TrainingMetrics.Row> rows;
            try (TrainingRun run = TrainingRun.inMemory(reference, cfg.theory(), cfg.training(), Parallelism.simulated(2))) {
                run.train(null);
                rows = run.metrics().rows();
            }
            TrainedModel ranks = TrainedModel.load(tmp.resolve(name), true);
            assertEquals(3, ranks.step());
            double[] a = flat(reference);
            double[] b = flat(ranks.module());
            assertEquals(a.length, b.length);
            double max = 0;
            for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
            System.out.printf("%s: %d parameters, max |2 ranks - 1 process| = %.3g%n", name, a.length, max);
            assertTrue(max < 1e-10, name + ": parameters differ by " + max);
            double moved = 0;
            try (TrainingRun fresh = TrainingRun.inMemory(TrainedModel.build(cfg), cfg.theory(), cfg.training())) {
                double[] init = flat(fresh.model());
                for (int i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i] - init[i]));
            }
            assertTrue(moved > 1e-4, name + ": three steps moved the parameters by only " + moved);
            List<TrainingMetrics.Row> written = TrainingMetrics.read(tmp.resolve(name).resolve(TrainingMetrics.FILE), 3).rows();
            assertEquals(3, written.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(rows.get(i).loss(), written.get(i).loss(), 1e-7 * Math.abs(rows.get(i).loss()), name + " loss of step " + (i + 1));
            }
            assertTrue(Files.isRegularFile(tmp.resolve(name).resolve(TrainingRun.SUMMARY)), "rank 0 wrote the summary");
        }
    }

    @Test
    void aKilledRankStopsTheOtherAndTheRunResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        Path cfgFile = Files.writeString(tmp.resolve("k.yaml"), KILLED);
        Path run = tmp.resolve("run");
        long t0 = System.nanoTime();
        LocalLauncher.Outcome killed = launch(tmp.resolve("logs1"), "--timeout", "20", "--kill", "1:5", cfgFile.toString(), run.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        String log0 = Files.readString(tmp.resolve("logs1").resolve("rank-0.err"));
        System.out.println("killed run: " + killed.message() + "; rank 0: " + log0.lines().filter(l -> l.startsWith("gaugeflow:")).toList());
        assertEquals(1, killed.failedRank(), killed.message());
        assertTrue(killed.message().contains("rank 1") && killed.message().contains("signal 9"), killed.message());
        assertEquals(1, killed.exitCodes()[0], "rank 0 stops with an error\n" + log0);
        List<String> errors = log0.lines().filter(l -> l.startsWith("gaugeflow:")).toList();
        assertEquals(1, errors.size(), log0);
        assertTrue(errors.get(0).contains("rank 1 stopped responding"), errors.get(0));
        assertTrue(seconds < 120, "the launch took " + seconds + " s");
        // the checkpoint on disk is the one of step 4, complete
        assertTrue(Files.list(run).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        assertEquals(4, TrainedModel.load(run, true).step());

        LocalLauncher.Outcome resumed = launch(tmp.resolve("logs2"), "--timeout", "60", "--resume", cfgFile.toString(), run.toString());
        assertTrue(resumed.succeeded(), resumed.message() + "\n" + logs(tmp.resolve("logs2")));

        RunConfig cfg = RunConfig.load(cfgFile);
        Module reference = TrainedModel.build(cfg);
        List<TrainingMetrics.Row> rows;
        try (TrainingRun r = TrainingRun.inMemory(reference, cfg.theory(), cfg.training(), Parallelism.simulated(2))) {
            r.train(null);
            rows = r.metrics().rows();
        }
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
