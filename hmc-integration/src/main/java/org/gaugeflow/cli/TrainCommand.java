package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.group.U1;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.Checkpoint;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.ReweightingStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow train CONFIG.yaml --out DIR [--steps N] [--resume]}: reverse-KL training (Eq. (3)) of
 * the configured model; writes DIR/config.yaml, metrics.csv, training.png, checkpoint.pt(+json) and,
 * at the end, summary.json (docs/training.md).
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a flow model by reverse KL (see docs/training.md).")
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Run configuration (theory, model, training).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder.")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Total steps (overrides training.steps).")
    Long steps;

    @Option(names = "--resume", description = "Continue from DIR's checkpoint.")
    boolean resume;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override public Integer call() throws Exception {
        TorchRuntime.configure();
        RunConfig cfg = RunConfig.load(config);
        if (steps != null) {
            if (steps < 0) throw new IllegalArgumentException("--steps " + steps + ": expected >= 0");
            cfg = cfg.withSteps(steps);
        }
        if (resume && !Files.isRegularFile(out.resolve(Checkpoint.ARCHIVE))) {
            throw new IllegalArgumentException("--resume: " + out.resolve(Checkpoint.ARCHIVE) + " not found; expected a run folder with a checkpoint");
        }
        if (!resume && Files.exists(out.resolve(Checkpoint.ARCHIVE))) {
            throw new IllegalArgumentException("--out " + out + ": already holds a checkpoint; expected a new folder, or --resume");
        }
        Files.createDirectories(out);
        Checkpoint.writeAtomically(out.resolve("config.yaml"), Files.readString(config));
        return run(cfg, out, resume, quiet);
    }

    static int run(RunConfig cfg, Path out, boolean resume, boolean quiet) throws Exception {
        RunConfig.Theory th = cfg.theory();
        Module model;
        try (Rng init = new Rng(cfg.training().seed() + 1, cfg.training().options())) {
            model = ModelFactory.build(th, cfg.modelType(), cfg.model(), cfg.training().options(), init);
        }
        Double exactLogZ = exactLogZ(th);
        TrainingOutputs outputs = new TrainingOutputs(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try (ReverseKlTrainer<?> trainer = ReverseKlTrainer.forModel(model, th.group(), th.lattice(), th.action(), cfg.training())) {
            double secondsBefore = 0;
            if (resume) {
                long at = Checkpoint.load(out, trainer);
                outputs.loadUpTo(at);
                Path side = out.resolve(Checkpoint.SIDECAR);
                if (Files.exists(side)) secondsBefore = json.readTree(side.toFile()).path("seconds").asDouble(0);
            }
            long total = cfg.training().steps();
            long start = System.nanoTime();
            ProgressBarBuilder pbb = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500);
            if (quiet) pbb.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(s -> { }));
            try (ProgressBar pb = pbb.build()) {
                pb.stepTo(trainer.step());
                while (trainer.step() < total) {
                    ReverseKlTrainer.StepResult r = trainer.trainStep();
                    pb.stepTo(trainer.step());
                    double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
                    if (r.step() % cfg.training().metricsInterval() == 0 || r.step() == total) {
                        ReweightingStats st = r.stats();
                        double logZ = exactLogZ != null ? exactLogZ : st.logZ();
                        outputs.add(new TrainingOutputs.Row(r.step(), st.loss(), st.lossError(), st.kl(logZ), st.ess(), st.logZ(),
                                st.logZError(), r.lr(), r.gradNorm(), seconds));
                        pb.setExtraMessage(String.format(" loss %.3f ESS %.3f", st.loss(), st.ess()));
                    }
                    if (r.step() % cfg.checkpointInterval() == 0 || r.step() == total) {
                        outputs.writeMetrics();
                        Checkpoint.save(out, trainer, sidecar(json, cfg, trainer, seconds));
                    }
                }
            }
            double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
            outputs.writeMetrics();
            outputs.writePlot(th.group().name() + " " + th.lattice() + " beta=" + th.beta());
            if (!Files.exists(out.resolve(Checkpoint.ARCHIVE))) Checkpoint.save(out, trainer, sidecar(json, cfg, trainer, seconds));
            // summary on fresh samples from an independent stream
            ReweightingStats ev;
            try (Rng evalRng = new Rng(cfg.training().seed() + 2, cfg.training().options())) {
                ev = ReverseKlTrainer.evaluate((org.gaugeflow.flow.Density) model, th.group(), th.lattice(), th.action(),
                        cfg.evalSamples(), cfg.evalBatch(), evalRng, null);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("ess", ev.ess());
            summary.put("kl", ev.kl(exactLogZ != null ? exactLogZ : ev.logZ()));
            summary.put("kl_log_z", exactLogZ != null ? "exact" : "estimate");
            summary.put("loss", ev.loss());
            Map<String, Object> lz = new LinkedHashMap<>();
            lz.put("mean", ev.logZ());
            lz.put("error", ev.logZError());
            if (exactLogZ != null) lz.put("exact", exactLogZ);
            summary.put("log_z", lz);
            summary.put("eval_samples", ev.samples());
            summary.put("steps", trainer.step());
            summary.put("seconds", seconds);
            summary.put("parameters", trainer.parameterCount());
            summary.put("model", cfg.modelType());
            summary.put("seed", cfg.training().seed());
            summary.put("threads", TorchRuntime.threads());
            Checkpoint.writeAtomically(out.resolve("summary.json"), json.writeValueAsString(summary));
            System.out.println(json.writeValueAsString(summary));
        }
        return 0;
    }

    /** log Z of 2D U(1) is known exactly (DESIGN.md); null otherwise. */
    static Double exactLogZ(RunConfig.Theory th) {
        if (th.group() == U1.INSTANCE && th.lattice().dims() == 2) return ExactU1TwoD.logZ(th.beta(), th.lattice().volume());
        return null;
    }

    private static String sidecar(ObjectMapper json, RunConfig cfg, ReverseKlTrainer<?> t, double seconds) throws Exception {
        ObjectNode n = json.createObjectNode();
        n.put("step", t.step());
        n.put("seed", cfg.training().seed());
        n.put("init_seed", cfg.training().seed() + 1);
        n.put("seconds", seconds);
        n.put("parameters", t.parameterCount());
        n.put("model_type", cfg.modelType());
        n.set("config", cfg.tree());
        return json.writeValueAsString(n);
    }
}
