package org.gaugeflow.training;

import org.gaugeflow.analysis.ReweightingStats;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.flow.Density;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.memory.MemoryEstimate;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run of a model by reverse KL (Eq. (3)): configure, train with checkpoints and resume, evaluate
 * (docs/training.md). With a run folder it writes {@code config.yaml} (the configuration as given),
 * {@code metrics.csv} ({@link TrainingMetrics}), {@code checkpoint.pt} and {@code checkpoint.json}
 * ({@link Checkpoint}) every {@code checkpoint_interval} steps and at the end, and {@code summary.json} after the
 * final evaluation; a killed run resumes from its last checkpoint with the same sequence of random numbers.
 * Every {@code heldout_every} steps the model is measured on {@code heldout_samples} held-out samples (always the
 * same latent noise, from {@code training.seed + 5}, so successive models are compared on equal terms; the time is
 * not counted as training): the rows go to {@code heldout.csv}, and the model with the lowest held-out loss
 * (KL - log Z) so far is kept as {@code best.pt} with {@code best.json} next to the last one, so a run whose training
 * degrades late still holds its best model ({@link TrainedModel#load} uses it unless told otherwise).
 * Without a folder ({@link #inMemory}) nothing is written: the experiments train many models that way.
 *
 * <p>The folder is a {@link RunFolder}: locked while the run lasts, with {@code run.json} recording the effective
 * configuration ({@link RunConfig#effective}). A resume must give the same configuration except for the keys in
 * {@link #MAY_CHANGE}. Before anything is built the memory the run needs is estimated and checked
 * ({@link MemoryEstimate#training}).
 *
 * <p>Seeds: the model's initial weights come from {@code training.seed + 1}, the training samples from
 * {@code training.seed}, the final evaluation from {@code training.seed + 2}.
 *
 * <p>Data-parallel ({@link Parallelism#dataParallel}, docs/distributed.md): every rank builds the run, rank 0's
 * parameters (and on a resume its whole checkpoint, read by rank 0 and broadcast) are copied to the others, and the
 * ranks take the same steps on shards of the global batch. Rank 0 alone touches the folder: it checks it, writes
 * config.yaml, metrics, checkpoints, held-out evaluations and the summary ({@link #writer()}); a time budget is
 * decided by rank 0's clock, so every rank stops after the same step.
 */
public final class TrainingRun implements AutoCloseable {
    /** The summary file of a finished run. */
    public static final String SUMMARY = "summary.json";
    /** The held-out evaluations of a run. */
    public static final String HELDOUT = "heldout.csv";
    private static final String HELDOUT_HEADER = "step,loss,loss_error,kl,ess";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /**
     * The configuration keys that may change when a run is resumed: the length of the run ({@code steps},
     * {@code max_seconds}: extending a run is what resume is for; note that the cosine and step learning-rate
     * schedules are functions of {@code steps}, so the rate from the resume point on follows the new total) and the
     * keys that change no trained weight ({@code checkpoint_interval}, and the final evaluation's {@code eval_samples}
     * and {@code eval_batch}). Everything else (theory, model, batch, learning rates, seed, precision, device,
     * estimator, metrics interval) is fixed for the run.
     */
    public static final Set<String> MAY_CHANGE = Set.of("training.steps", "training.max_seconds",
            "training.checkpoint_interval", "training.eval_samples", "training.eval_batch");

    /** Told after every step, with the training seconds so far (for progress bars and training curves). */
    @FunctionalInterface
    public interface Listener {
        void afterStep(ReverseKlTrainer.StepResult step, double trainingSeconds);
    }

    private final Path dir;
    private final RunFolder folder;
    private final RunConfig config;
    private final Theory theory;
    private final TrainingConfig training;
    private final Module model;
    private final ReverseKlTrainer<?> trainer;
    private final TrainingMetrics metrics;
    private final Parallelism parallelism;
    private final double exactLogZ;
    private final java.util.List<String> heldout = new java.util.ArrayList<>();
    private final java.util.List<AutoCloseable> alsoClose = new java.util.ArrayList<>();
    private double seconds;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private long bestStep = -1;

    private TrainingRun(RunFolder folder, Path dir, RunConfig config, Theory theory, TrainingConfig training, Module model,
            TrainingMetrics metrics, Parallelism parallelism) {
        this.folder = folder;
        this.dir = dir;
        this.config = config;
        this.theory = theory;
        this.training = training;
        this.model = model;
        this.metrics = metrics;
        this.parallelism = parallelism == null ? Parallelism.NONE : parallelism;
        this.exactLogZ = theory.exactLogZ();
        this.trainer = ReverseKlTrainer.forModel(model, theory, training, this.parallelism);
    }

    /** A new run in {@code dir} (missing or empty): {@link #open} with {@link RunFolder.Mode#NEW}. */
    public static TrainingRun start(RunConfig config, Path dir) throws IOException {
        return open(config, dir, RunFolder.Mode.NEW);
    }

    /** {@link #start(RunConfig, Path)} as one rank of a data-parallel run (rank 0 checks and writes the folder). */
    public static TrainingRun start(RunConfig config, Path dir, Parallelism parallelism) throws IOException {
        return open(config, dir, RunFolder.Mode.NEW, parallelism);
    }

    /**
     * Continues the run in {@code dir} from its checkpoint: {@link #open} with {@link RunFolder.Mode#RESUME}.
     * {@code config} must be the recorded one except for {@link #MAY_CHANGE} (e.g. more steps).
     */
    public static TrainingRun resume(RunConfig config, Path dir) throws IOException {
        return open(config, dir, RunFolder.Mode.RESUME);
    }

    /**
     * {@link #resume(RunConfig, Path)} as one rank of a data-parallel run: rank 0 reads the checkpoint and broadcasts
     * it, every rank restores model and optimizer from it, and the parameters are broadcast from rank 0 again before
     * the first step. The number of ranks may differ from the run's before: with the same number the run continues
     * exactly, with another the remaining steps draw from other streams (docs/distributed.md, "Resume").
     */
    public static TrainingRun resume(RunConfig config, Path dir, Parallelism parallelism) throws IOException {
        return open(config, dir, RunFolder.Mode.RESUME, parallelism);
    }

    /**
     * Opens the run folder {@code dir} for {@code config}: checks the memory estimate, locks the folder and applies
     * {@code mode} to what it holds ({@link RunFolder}). A folder with a checkpoint is resumed (model, optimizer,
     * sampling stream, step, metrics and seconds restored); otherwise the model is built and {@code config.yaml}
     * written. The run holds the folder's lock until {@link #close}.
     */
    public static TrainingRun open(RunConfig config, Path dir, RunFolder.Mode mode) throws IOException {
        return open(config, dir, mode, Parallelism.NONE);
    }

    /**
     * {@link #open(RunConfig, Path, RunFolder.Mode)} as one rank of a data-parallel run: rank 0 alone locks and checks
     * the folder, writes config.yaml or reads the checkpoint, whose bytes it broadcasts to the other ranks; a failure
     * on rank 0 is raised on every rank.
     */
    public static TrainingRun open(RunConfig config, Path dir, RunFolder.Mode mode, Parallelism parallelism) throws IOException {
        return open(config, config, dir, mode, parallelism);
    }

    /**
     * {@link #open(RunConfig, Path, RunFolder.Mode, Parallelism)} for a rank whose configuration {@code config} differs
     * from the one the run was given, {@code given}, only in its device (a CUDA rank's {@code cuda:LOCAL_RANK}):
     * the folder records and compares {@code given}, so that the same run can be resumed with another number of ranks
     * or by a single process.
     */
    public static TrainingRun open(RunConfig config, RunConfig given, Path dir, RunFolder.Mode mode, Parallelism parallelism)
            throws IOException {
        Map<String, Object> recorded = given.effective();
        if (!sameButDevice(recorded, config.effective())) {
            throw new IllegalArgumentException("a rank's configuration differs from the run's in more than the device");
        }
        Parallelism par = parallelism == null ? Parallelism.NONE : parallelism;
        MemoryEstimate.training(config).require();
        Module model = TrainedModel.build(config);
        Path archive = dir.resolve(Checkpoint.ARCHIVE);
        RunFolder[] opened = new RunFolder[1];
        byte[][] archiveBytes = new byte[1][];
        boolean[] resuming = new boolean[1];
        onWriter(par, () -> {
            RunFolder folder = RunFolder.open(dir, new RunFolder.Request("train", recorded, seeds(config), mode, MAY_CHANGE));
            opened[0] = folder;
            try {
                resuming[0] = !folder.fresh() && Files.isRegularFile(archive);
                if (!resuming[0]) {
                    if (!folder.fresh()) LOG.info("{}: no checkpoint yet; starting the run from step 0", dir);
                    AtomicFileWriter.write(dir.resolve(TrainedModel.CONFIG), config.text());
                } else if (par.group() != null) {
                    archiveBytes[0] = Files.readAllBytes(archive);
                }
            } catch (IOException | RuntimeException e) {
                opened[0] = null;
                folder.close();
                throw e;
            }
        });
        RunFolder folder = opened[0];
        TrainingRun run = null;
        try {
            run = new TrainingRun(folder, dir, config, config.theory(), config.training(), model, new TrainingMetrics(), par);
            boolean resume;
            long at = 0;
            if (par.group() != null) {
                byte[] all = par.group().broadcastBytes(archiveBytes[0] == null ? new byte[0] : archiveBytes[0]);
                resume = all.length > 0;                                      // an archive is never empty
                if (resume) {
                    at = Checkpoint.load(all, archive.toString(), run.trainer);
                    run.trainer.synchronizeRanks();
                }
            } else {
                resume = resuming[0];
                if (resume) at = Checkpoint.load(dir, run.trainer);
            }
            if (!par.writer()) return run;
            if (resume) {
                TrainingMetrics kept = TrainingMetrics.read(dir.resolve(TrainingMetrics.FILE), at);
                kept.rows().forEach(run.metrics::add);
                Path side = dir.resolve(Checkpoint.SIDECAR);
                if (Files.exists(side)) {
                    var before = JSON.readTree(side.toFile());
                    run.seconds = before.path("seconds").asDouble(0);
                    String was = before.path("sampling").asText("sequential");
                    if (!was.equals(par.describe())) {
                        LOG.warn("{} was trained {} and resumes {}: the samples of the remaining steps come from other streams "
                                + "than an uninterrupted run's (statistically equivalent, not identical)", dir, was, par.describe());
                    }
                }
                run.restoreHeldout(at);
                LOG.info("resuming {} at step {} of {} ({})", dir, at, config.training().steps(), par.describe());
                warnAboutScheduleChange(folder, config);
            }
            folder.markStarted();
            return run;
        } catch (IOException | RuntimeException e) {
            if (run != null) run.trainer.close();
            if (folder != null) folder.close();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean sameButDevice(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> ta = new LinkedHashMap<>((Map<String, Object>) a.get("training"));
        Map<String, Object> tb = new LinkedHashMap<>((Map<String, Object>) b.get("training"));
        ta.remove("device");
        tb.remove("device");
        return ta.equals(tb) && a.get("theory").equals(b.get("theory")) && a.get("model").equals(b.get("model"));
    }

    private static Map<String, Object> seeds(RunConfig config) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sampling", config.training().seed());
        s.put("initial_weights", config.training().seed() + 1);
        s.put("final_evaluation", config.training().seed() + 2);
        return s;
    }

    /** The learning rate of cosine and step schedules depends on the total steps: say so when a resume changed it. */
    private static void warnAboutScheduleChange(RunFolder folder, RunConfig config) {
        com.fasterxml.jackson.databind.JsonNode resumes = folder.record().path("resumes");
        if (!resumes.isArray() || resumes.isEmpty()) return;
        com.fasterxml.jackson.databind.JsonNode steps = resumes.get(resumes.size() - 1).path("changed").path("training.steps");
        if (!steps.isMissingNode() && !config.training().schedule().kind().equals("constant")) {
            LOG.warn("{}: training.steps {} -> {} with the {} learning-rate schedule: from the resume point on the rate "
                    + "follows the new total, so the run differs from one started with {} steps", folder.dir(),
                    steps.path("from").asText(), steps.path("to").asText(), config.training().schedule().kind(),
                    steps.path("to").asText());
        }
    }

    /** On resume: the held-out rows up to the checkpoint's step and the best model seen by then. */
    private void restoreHeldout(long at) throws IOException {
        Path ho = dir.resolve(HELDOUT);
        if (Files.exists(ho)) {
            for (String line : Files.readAllLines(ho)) {
                if (line.isBlank() || line.startsWith("step")) continue;
                if (Long.parseLong(line.substring(0, line.indexOf(','))) <= at) heldout.add(line);
            }
        }
        Path best = dir.resolve(Checkpoint.BEST_SIDECAR);
        if (Files.exists(best)) {
            var b = JSON.readTree(best.toFile());
            if (b.path("step").asLong(-1) <= at) {
                bestStep = b.path("step").asLong(-1);
                bestLoss = b.path("heldout_loss").asDouble(Double.POSITIVE_INFINITY);
            }
        }
    }

    /** Runs {@code action} on the writer (rank 0), its failure raised on every rank. */
    private static void onWriter(Parallelism par, Action action) throws IOException {
        if (par.group() != null) {
            par.group().onRank0(action::run);
            return;
        }
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Work on the run folder. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** A run of an already built model without a folder (nothing is written). */
    public static TrainingRun inMemory(Module model, Theory theory, TrainingConfig training) {
        return inMemory(model, theory, training, Parallelism.NONE);
    }

    /** {@link #inMemory(Module, Theory, TrainingConfig)} drawing and combining batches as {@code parallelism} says. */
    public static TrainingRun inMemory(Module model, Theory theory, TrainingConfig training, Parallelism parallelism) {
        return new TrainingRun(null, null, null, theory, training, model, new TrainingMetrics(), parallelism);
    }

    /** Whether this process writes the run folder and the summary (rank 0, or the only process). */
    public boolean writer() { return parallelism.writer(); }

    /** How the run draws batches and combines gradients. */
    public Parallelism parallelism() { return parallelism; }

    /** The model being trained (a Module and a Density). */
    public Module model() { return model; }

    public Density density() { return (Density) model; }

    public Theory theory() { return theory; }

    public TrainingConfig training() { return training; }

    public ReverseKlTrainer<?> trainer() { return trainer; }

    public TrainingMetrics metrics() { return metrics; }

    /** Steps done. */
    public long step() { return trainer.step(); }

    /** Training seconds so far (across resumes; evaluation not counted). */
    public double seconds() { return seconds; }

    /** Whether the step count or the time budget is exhausted. */
    public boolean done() {
        return trainer.step() >= training.steps() || (training.maxSeconds() > 0 && seconds >= training.maxSeconds());
    }

    /**
     * Trains until {@code training.steps} or {@code training.max_seconds}, recording metrics and, with a folder,
     * writing checkpoints; {@code listener} (may be null) is told after each step.
     */
    public void train(Listener listener) throws IOException {
        DataParallel group = parallelism.group();
        try {
            trainLoop(listener);
        } catch (IOException | RuntimeException | Error e) {
            if (group != null) group.reportFailure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
    }

    private void trainLoop(Listener listener) throws IOException {
        long ckEvery = config != null ? config.checkpointInterval() : Long.MAX_VALUE;
        DataParallel group = parallelism.group();
        boolean writes = dir != null && writer();
        if (group != null && training.maxSeconds() > 0) {
            try {
                seconds = group.allreduceSum(new double[] {writer() ? seconds : 0})[0];
            } catch (RuntimeException e) {
                throw group.failure("the start of training (time budget)", e);
            }
        }
        while (!done()) {
            long t0 = System.nanoTime();
            ReverseKlTrainer.StepResult r = trainer.trainStep();
            seconds += (System.nanoTime() - t0) / 1e9;
            if (group != null && training.maxSeconds() > 0) {
                // the budget is decided by rank 0's clock, so that every rank stops after the same step
                try {
                    seconds = group.allreduceSum(new double[] {writer() ? seconds : 0})[0];
                } catch (RuntimeException e) {
                    throw group.failure("step " + r.step() + " (time budget)", e);
                }
            }
            boolean last = done();
            if (r.step() % training.metricsInterval() == 0 || last) {
                ReweightingStats st = r.stats();
                metrics.add(new TrainingMetrics.Row(r.step(), st.loss(), st.lossError(), st.klWith(exactLogZ), st.ess(),
                        st.logZ(), st.logZError(), r.lr(), r.gradNorm(), seconds));
            }
            if (writer() && config != null && config.heldoutEvery() > 0 && (r.step() % config.heldoutEvery() == 0 || last)) heldout();
            if (writes && (r.step() % ckEvery == 0 || last)) checkpoint();
            if (listener != null) listener.afterStep(r, seconds);
        }
        if (writes && !Files.exists(dir.resolve(Checkpoint.ARCHIVE))) checkpoint();
    }

    /**
     * Measures the model on the held-out samples and keeps it as best.pt when its loss is the lowest so far (with a
     * folder); not counted as training time.
     */
    private void heldout() throws IOException {
        ModelEvaluation ev = evaluate(config.heldoutSamples(), config.evalBatch(), training.seed() + 5);
        ReweightingStats st = ev.stats();
        heldout.add(String.format(java.util.Locale.ROOT, "%d,%.8g,%.4g,%.8g,%.6g", trainer.step(), st.loss(), st.lossError(),
                st.klWith(exactLogZ), st.ess()));
        boolean better = st.loss() < bestLoss;
        if (better) {
            bestLoss = st.loss();
            bestStep = trainer.step();
        }
        if (dir == null) return;
        AtomicFileWriter.write(dir.resolve(HELDOUT), HELDOUT_HEADER + "\n" + String.join("\n", heldout) + "\n");
        if (better) {
            Checkpoint.saveModel(dir.resolve(Checkpoint.BEST), model, trainer.step());
            ObjectNode n = JSON.createObjectNode();
            n.put("step", trainer.step());
            n.put("heldout_loss", st.loss());
            n.put("heldout_loss_error", st.lossError());
            n.put("heldout_kl", st.klWith(exactLogZ));
            n.put("heldout_ess", st.ess());
            n.put("heldout_samples", st.samples());
            AtomicFileWriter.write(dir.resolve(Checkpoint.BEST_SIDECAR), JSON.writeValueAsString(n));
        }
    }

    /** The step of the best model by the held-out loss so far (-1: none measured). */
    public long bestStep() { return bestStep; }

    /** Its held-out loss, KL - log Z (infinite when none was measured). */
    public double bestHeldoutLoss() { return bestLoss; }

    /** Writes metrics.csv and the checkpoint now. */
    public void checkpoint() throws IOException {
        metrics.write(dir.resolve(TrainingMetrics.FILE));
        ObjectNode n = JSON.createObjectNode();
        n.put("step", trainer.step());
        n.put("seed", training.seed());
        n.put("init_seed", training.seed() + 1);
        n.put("seconds", seconds);
        n.put("parameters", trainer.parameterCount());
        n.put("sampling", parallelism.describe());
        n.put("ranks", parallelism.processes());
        if (config != null) {
            n.put("model_type", config.modelType());
            n.set("config", config.tree());
        }
        Checkpoint.save(dir, trainer, JSON.writeValueAsString(n));
    }

    /** Evaluates the model on {@code n} fresh samples from a stream seeded with {@code seed}. */
    public ModelEvaluation evaluate(long n, long batch, long seed) {
        try (Rng rng = new Rng(seed, training.options())) {
            return ModelEvaluation.run(density(), theory, n, batch, rng);
        }
    }

    /**
     * The final evaluation of a configured run ({@code eval_samples} from {@code training.seed + 2}) as the
     * summary map; with a folder it is written to {@code summary.json}.
     */
    public Map<String, Object> finish() throws IOException {
        if (config == null) throw new IllegalStateException("finish: a run without a configuration; use evaluate");
        if (!writer()) throw new IllegalStateException("finish: rank " + parallelism.rank() + " of a data-parallel run; rank 0 evaluates and writes the summary");
        ModelEvaluation ev = evaluate(config.evalSamples(), config.evalBatch(), training.seed() + 2);
        ReweightingStats st = ev.stats();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ess", st.ess());
        ev.putTail(summary);
        summary.put("kl", st.klWith(exactLogZ));
        summary.put("kl_log_z", Double.isNaN(exactLogZ) ? "estimate" : "exact");
        summary.put("loss", st.loss());
        Map<String, Object> lz = new LinkedHashMap<>();
        lz.put("mean", st.logZ());
        lz.put("error", st.logZError());
        if (!Double.isNaN(exactLogZ)) lz.put("exact", exactLogZ);
        summary.put("log_z", lz);
        summary.put("eval_samples", st.samples());
        summary.put("steps", trainer.step());
        summary.put("seconds", seconds);
        summary.put("parameters", trainer.parameterCount());
        summary.put("model", config.modelType());
        summary.put("seed", training.seed());
        summary.put("threads", TorchRuntime.threads());
        summary.put("ranks", parallelism.processes());
        if (bestStep >= 0) {
            Map<String, Object> best = new LinkedHashMap<>();
            best.put("step", bestStep);
            best.put("heldout_loss", bestLoss);
            best.put("heldout_kl", Double.isNaN(exactLogZ) ? null : bestLoss + exactLogZ);
            summary.put("best", best);
        }
        if (dir != null) AtomicFileWriter.write(dir.resolve(SUMMARY), JSON.writeValueAsString(summary) + "\n");
        return summary;
    }

    /** Closes {@code resource} (e.g. the process group of a data-parallel run) when this run is closed. */
    public void closeAlso(AutoCloseable resource) { alsoClose.add(resource); }

    /** Closes the trainer and what {@link #closeAlso} added, and releases the run folder's lock. */
    @Override public void close() {
        try {
            trainer.close();
            for (AutoCloseable c : alsoClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", c, e.getMessage());
                }
            }
        } finally {
            if (folder != null) folder.close();
        }
    }
}
