package org.gaugeflow.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gaugeflow.model.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run configured, trained with checkpoints, killed (stopped) and resumed, then evaluated. */
class TrainingRunTest {
    static final String YAML = String.join("\n",
            "theory: {group: u1, lattice: 4x4, beta: 1.0}",
            "model: {type: multiscale, scm_layers: 1, scm_hidden: [4], fine_layers: 1, hidden: [4]}",
            "training: {batch: 8, steps: 6, lr: 0.01, seed: 3, precision: float64, metrics_interval: 1,",
            "           checkpoint_interval: 3, eval_samples: 16, eval_batch: 8}", "");

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path tmp) throws Exception {
        RunConfig cfg = RunConfig.parse(YAML, "t.yaml");
        Path a = tmp.resolve("a");
        Map<String, Object> sa;
        try (TrainingRun run = TrainingRun.start(cfg, a)) {
            run.train(null);
            sa = run.finish();
        }
        Path b = tmp.resolve("b");
        try (TrainingRun run = TrainingRun.start(cfg, b)) {
            // killed during step 5: the folder holds the checkpoint of step 3
            assertThrows(IllegalStateException.class, () -> run.train((r, sec) -> {
                if (r.step() == 5) throw new IllegalStateException("killed");
            }));
        }
        Map<String, Object> sb;
        try (TrainingRun run = TrainingRun.resume(cfg, b)) {
            assertEquals(3, run.step());
            run.train(null);
            sb = run.finish();
        }
        assertEquals(sa.get("ess"), sb.get("ess"));
        assertEquals(sa.get("loss"), sb.get("loss"));
        assertEquals(withoutSeconds(a), withoutSeconds(b));
        assertEquals(Files.readString(a.resolve("config.yaml")), YAML);
        assertEquals(Files.readString(a.resolve(TrainingRun.HELDOUT)), Files.readString(b.resolve(TrainingRun.HELDOUT)));
        assertEquals(Files.readString(a.resolve(Checkpoint.BEST_SIDECAR)), Files.readString(b.resolve(Checkpoint.BEST_SIDECAR)));
        assertEquals(3, Files.readAllLines(a.resolve(TrainingRun.HELDOUT)).size(), "held-out rows at steps 3 and 6");
        TrainedModel m = TrainedModel.load(a, true);
        assertEquals(6, m.step());
        TrainedModel best = TrainedModel.load(a);
        assertEquals(((Map<?, ?>) sa.get("best")).get("step"), best.step(), "load() gives the best model by the held-out loss");
        assertTrue(!best.checksum().equals(m.checksum()) || best.step() == 6);
        assertEquals(cfg.theory(), m.config().theory());
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.start(cfg, a), "a folder with a checkpoint needs resume");
    }

    @Test
    void aRankRecordsTheConfigurationAsGivenAndMayDifferOnlyInItsDevice(@TempDir Path tmp) throws Exception {
        RunConfig cfg = RunConfig.parse(YAML, "t.yaml");
        Path dir = tmp.resolve("r");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.open(cfg.withSteps(7), cfg, dir, org.gaugeflow.io.RunFolder.Mode.NEW, Parallelism.NONE));
        assertTrue(e.getMessage().contains("more than the device"), e.getMessage());
        try (TrainingRun run = TrainingRun.open(cfg, cfg, dir, org.gaugeflow.io.RunFolder.Mode.NEW, Parallelism.NONE)) {
            assertEquals(0, run.step());
        }
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"device\" : \"cpu\""));
    }

    @Test
    void aTimeBudgetStopsTraining(@TempDir Path tmp) throws Exception {
        RunConfig cfg = RunConfig.parse(YAML, "t.yaml").withSteps(1_000_000).withMaxSeconds(1.0);
        try (TrainingRun run = TrainingRun.start(cfg, tmp.resolve("r"))) {
            run.train(null);
            assertTrue(run.seconds() >= 1.0 && run.step() < 1_000_000, run.step() + " steps in " + run.seconds() + " s");
        }
    }

    private static List<String> withoutSeconds(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve(TrainingMetrics.FILE)).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }
}
