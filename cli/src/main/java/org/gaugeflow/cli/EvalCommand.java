package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.model.VolumeTransfer;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.training.ModelEvaluation;
import org.gaugeflow.analysis.ReweightingStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow eval DIR --samples N}: ESS (Eq. (4)) with a bootstrap error, KL (Eq. (3)) and log Z of a trained
 * model on fresh samples ({@link ModelEvaluation}); prints JSON and writes DIR/eval.json. With {@code --lattice} the
 * model runs on another lattice ({@link TrainedModel#onLattice}) and the results go to DIR/eval-LATTICE.json.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Measure ESS (with bootstrap error), KL and log Z of a trained model.")
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Run folder written by 'gaugeflow train'.")
    Path dir;

    @Option(names = "--samples", required = true, paramLabel = "N", description = "Fresh samples to draw.")
    long samples;

    @Option(names = "--batch", paramLabel = "B", description = "Sampling batch size (default: training.eval_batch).")
    Long batch;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sampling stream (default: training.seed + 3).")
    Long seed;

    @Option(names = "--bootstrap", paramLabel = "K", description = "Bootstrap resamples for the ESS error (default 200).")
    int bootstrap = 200;

    @Option(names = "--last", description = "Evaluate the last weights (checkpoint.pt), not the best by the held-out loss (best.pt).")
    boolean last;

    @Option(names = "--lattice", paramLabel = "LxL...", description = "Run the model on this lattice (volume transfer, docs/multiscale.md); results go to DIR/eval-LATTICE[-finest].json.")
    String lattice;

    @Option(names = "--transfer", defaultValue = "scale", description = "With --lattice: which trained layers the extra doubling layers repeat: scale (layers keep their scale from the finest; the coarsest repeats), finest, or fresh (as scale, but the extra coarse layers stay untrained at their starting values) (default ${DEFAULT-VALUE}).")
    String transfer;

    @Mixin SharedOptions.Threads threads;

    @Mixin SharedOptions.MemoryLimit memoryLimit;

    @Override public Integer call() throws Exception {
        threads.apply();
        memoryLimit.apply();
        if (samples < 2) throw new IllegalArgumentException("--samples " + samples + ": expected >= 2");
        if (bootstrap < 2) throw new IllegalArgumentException("--bootstrap " + bootstrap + ": expected >= 2");
        if (!java.nio.file.Files.isRegularFile(dir.resolve(TrainedModel.CONFIG))) {
            TrainedModel.load(dir); // the one-line error for a folder that is not a training run, before locking it
        }
        try (RunFolder folder = RunFolder.lock(dir, "eval")) {
            return evaluate();
        }
    }

    private int evaluate() throws Exception {
        VolumeTransfer.Mode mode = VolumeTransfer.Mode.parse(transfer);
        TrainedModel m = TrainedModel.load(dir, last);
        String file = "eval.json";
        if (lattice != null) {
            Lattice target = Lattice.parse(lattice);
            if (!target.equals(m.lattice())) {
                m = m.onLattice(target, mode);
                file = "eval-" + target + (mode == VolumeTransfer.Mode.SCALE ? "" : "-" + mode.label()) + ".json";
            }
        }
        long b = batch != null ? batch : m.config().evalBatch();
        if (b < 1) throw new IllegalArgumentException("--batch " + b + ": expected >= 1");
        long s = seed != null ? seed : m.config().training().seed() + 3;
        Theory th = m.config().theory();
        ModelEvaluation ev = ModelEvaluation.run(m, samples, b, s);
        ReweightingStats st = ev.stats();
        double exact = th.exactLogZ();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ess", st.ess());
        r.put("ess_error", ev.essError(bootstrap, s + 1));
        ev.putTail(r);
        r.put("kl", st.klWith(exact));
        r.put("kl_log_z", Double.isNaN(exact) ? "estimate" : "exact");
        r.put("loss", st.loss());
        r.put("loss_error", st.lossError());
        Map<String, Object> lz = new LinkedHashMap<>();
        lz.put("mean", st.logZ());
        lz.put("error", st.logZError());
        if (!Double.isNaN(exact)) lz.put("exact", exact);
        r.put("log_z", lz);
        r.put("samples", samples);
        r.put("lattice", m.lattice().toString());
        if (!file.equals("eval.json")) r.put("transfer", mode.label());
        r.put("checkpoint_step", m.step());
        r.put("weights", m.weights());
        r.put("seconds", ev.seconds());
        r.put("samples_per_second", samples / ev.seconds());
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
        AtomicFileWriter.write(dir.resolve(file), text + "\n");
        System.out.println(text);
        return 0;
    }
}
