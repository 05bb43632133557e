package org.gaugeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.flow.Density;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.Checkpoint;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.ReweightingStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gaugeflow eval DIR --samples N}: ESS (Eq. (4)) with a bootstrap error, KL (Eq. (3)) and log Z of
 * a trained model on fresh samples; prints JSON and writes DIR/eval.json.
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

    @Override public Integer call() throws Exception {
        TorchRuntime.configure();
        if (samples < 2) throw new IllegalArgumentException("--samples " + samples + ": expected >= 2");
        if (bootstrap < 2) throw new IllegalArgumentException("--bootstrap " + bootstrap + ": expected >= 2");
        Path cfgFile = dir.resolve("config.yaml");
        if (!Files.isRegularFile(cfgFile)) throw new IllegalArgumentException("run folder " + dir + ": config.yaml not found; expected a folder written by 'gaugeflow train'");
        RunConfig cfg = RunConfig.load(cfgFile);
        RunConfig.Theory th = cfg.theory();
        Module model;
        try (Rng init = new Rng(cfg.training().seed() + 1, cfg.training().options())) {
            model = ModelFactory.build(th, cfg.modelType(), cfg.model(), cfg.training().options(), init);
        }
        long step = Checkpoint.loadModel(dir, model);
        long b = batch != null ? batch : cfg.evalBatch();
        if (b < 1) throw new IllegalArgumentException("--batch " + b + ": expected >= 1");
        double[][] logW = new double[1][];
        long start = System.nanoTime();
        ReweightingStats st;
        try (Rng rng = new Rng(seed != null ? seed : cfg.training().seed() + 3, cfg.training().options())) {
            st = ReverseKlTrainer.evaluate((Density) model, th.group(), th.lattice(), th.action(), samples, b, rng, lw -> {
                logW[0] = lw;
                return null;
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Double exact = TrainCommand.exactLogZ(th);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ess", st.ess());
        r.put("ess_error", bootstrapEssError(logW[0], bootstrap, seed != null ? seed : cfg.training().seed() + 4));
        r.put("kl", st.kl(exact != null ? exact : st.logZ()));
        r.put("kl_log_z", exact != null ? "exact" : "estimate");
        r.put("loss", st.loss());
        r.put("loss_error", st.lossError());
        Map<String, Object> lz = new LinkedHashMap<>();
        lz.put("mean", st.logZ());
        lz.put("error", st.logZError());
        if (exact != null) lz.put("exact", exact);
        r.put("log_z", lz);
        r.put("samples", samples);
        r.put("checkpoint_step", step);
        r.put("seconds", seconds);
        r.put("samples_per_second", samples / seconds);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = json.writeValueAsString(r);
        Checkpoint.writeAtomically(dir.resolve("eval.json"), text);
        System.out.println(text);
        return 0;
    }

    /** Standard deviation of the ESS over bootstrap resamples of the log-weights (computed in log space). */
    static double bootstrapEssError(double[] logW, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = logW.length;
        double sum = 0;
        double sum2 = 0;
        double[] pick = new double[n];
        for (int rep = 0; rep < k; rep++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                pick[i] = logW[rnd.nextInt(n)];
                max = Math.max(max, pick[i]);
            }
            double s1 = 0;
            double s2 = 0;
            for (double v : pick) {
                double e = Math.exp(v - max);
                s1 += e;
                s2 += e * e;
            }
            double ess = s1 * s1 / (n * s2);
            sum += ess;
            sum2 += ess * ess;
        }
        double mean = sum / k;
        return Math.sqrt(Math.max(0, sum2 / k - mean * mean) * k / (k - 1));
    }
}
