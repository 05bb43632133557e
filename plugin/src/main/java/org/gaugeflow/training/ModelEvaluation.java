package org.gaugeflow.training;

import org.gaugeflow.analysis.ReweightingStats;
import java.util.Map;
import org.gaugeflow.analysis.ParetoTail;
import org.gaugeflow.memory.MemoryEstimate;
import org.gaugeflow.model.TrainedModel;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A model measured on fresh samples: n samples drawn in batches without gradients, their log-weights
 * log w = -S - log q, and the statistics of {@link ReweightingStats} (ESS, log Z, loss and KL).
 *
 * @param stats   ESS, log Z, loss
 * @param logW    the per-sample log-weights (for the bootstrap)
 * @param seconds wall time of the sampling
 */
public record ModelEvaluation(ReweightingStats stats, double[] logW, double seconds) {

    /** Draws {@code n} samples in batches of {@code batch} from {@code rng} and evaluates them against the theory. */
    public static ModelEvaluation run(Density model, Theory theory, long n, long batch, Rng rng) {
        if (n < 2 || n > Integer.MAX_VALUE) throw new IllegalArgumentException("samples = " + n + ": expected 2 .. 2^31 - 1");
        if (batch < 1) throw new IllegalArgumentException("batch = " + batch + ": expected >= 1");
        double[] all = new double[(int) n];
        int filled = 0;
        long t0 = System.nanoTime();
        try (NoGradGuard g = new NoGradGuard()) {
            while (filled < n) {
                long b = Math.min(batch, n - filled);
                try (PointerScope scope = new PointerScope()) {
                    Sample s = model.sample(b, rng);
                    Tensor logW = s.logQ().add(GradientEstimator.action(theory, s.value())).neg();
                    double[] lw = Tensors.toArray(logW);
                    System.arraycopy(lw, 0, all, filled, lw.length);
                    filled += lw.length;
                }
            }
        }
        return new ModelEvaluation(ReweightingStats.of(all), all, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Evaluates a trained model ({@code gaugeflow eval}) on {@code n} fresh samples in batches of {@code batch} from a
     * stream seeded with {@code seed}, after checking the memory it needs ({@link MemoryEstimate#evaluation}).
     */
    public static ModelEvaluation run(TrainedModel model, long n, long batch, long seed) {
        if (model.config() == null) throw new IllegalArgumentException("model " + model.name() + ": expected a trained model");
        MemoryEstimate.evaluation(model.config(), n, batch).require();
        try (Rng rng = new Rng(seed, model.options())) {
            return run(model.density(), model.config().theory(), n, batch, rng);
        }
    }

    /** Bootstrap error of the ESS ({@link ReweightingStats#bootstrapEssError}). */
    public double essError(int resamples, long seed) { return ReweightingStats.bootstrapEssError(logW, resamples, seed); }

    public double ess() { return stats.ess(); }

    /**
     * Puts {@code pareto_k} (null when the tail is flat) and {@code pareto_k_limit} of the samples' weights p/q
     * ({@link ParetoTail}) into {@code out}; nothing with fewer than {@link ParetoTail#MIN_SAMPLES} samples.
     */
    public void putTail(Map<String, Object> out) {
        if (logW.length < ParetoTail.MIN_SAMPLES) return;
        ParetoTail t = ParetoTail.of(logW);
        out.put("pareto_k", Double.isNaN(t.k()) ? null : t.k());
        out.put("pareto_k_limit", ParetoTail.limit(t.samples()));
    }

    public long samples() { return stats.samples(); }
}
