package org.gaugeflow.training;

import org.gaugeflow.analysis.ReweightingStats;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;

/**
 * How the gradient of the reverse KL (Eq. (3)) of one batch is estimated: a strategy of {@link ReverseKlTrainer}.
 * An estimator draws {@code batch} samples from the model, accumulates the gradient into the parameters' gradients
 * (the caller zeroes them before and steps the optimizer after) and returns the batch's reweighting statistics.
 * <ul>
 *   <li>{@link ReparameterizedGradient} ({@code reparameterized}): differentiates mean[log q(U) + S(U)] with
 *       U = f(z) through the sample path and the parameters of log q;
 *   <li>{@link PathGradient} ({@code path}): the path gradient (Roeder et al. 2017; Vaitl et al. 2022).
 * </ul>
 * Data-parallel training ({@link Parallelism}) runs an estimator on each shard of the global batch with a
 * {@link Backward}: the shard's loss is scaled so that the shards' gradients add (or average across ranks) to the
 * gradient of the global batch's mean, and a hook is told the tensor that is about to be back-propagated (the c10d
 * reducer must be prepared right before the backward pass whose gradients it all-reduces).
 */
public interface GradientEstimator {

    /**
     * How an estimator runs its backward pass: the factor on the loss (1 for a whole batch) and a hook told the
     * output tensor right before {@code backward()} is called on it.
     *
     * @param scale   factor on the batch's loss (and so on its gradient)
     * @param prepare told the tensor about to be back-propagated (may be null)
     */
    record Backward(double scale, Consumer<Tensor> prepare) {
        /** A whole batch in one process: scale 1, no hook. */
        public static final Backward PLAIN = new Backward(1.0, null);

        /** Calls the hook, if any, with the output about to be back-propagated. */
        public void beforeBackward(Tensor output) {
            if (prepare != null) prepare.accept(output);
        }
    }

    /** The name used in configurations and outputs. */
    String label();

    /** Draws a batch, accumulates the gradient of the reverse-KL loss, returns the batch's statistics. */
    default ReweightingStats accumulateGradient(Density model, long batch, Rng rng, Theory theory) {
        return ReweightingStats.of(accumulate(model, batch, rng, theory, Backward.PLAIN));
    }

    /**
     * Draws {@code batch} samples from {@code rng}, accumulates {@code backward.scale()} times the gradient of their
     * mean reverse-KL loss and returns their log w = -S - log q (detached, one value per sample, in drawing order).
     */
    Tensor accumulate(Density model, long batch, Rng rng, Theory theory, Backward backward);

    /** The reparameterization estimator. */
    GradientEstimator REPARAMETERIZED = new ReparameterizedGradient();

    /** The path-gradient estimator. */
    GradientEstimator PATH = new PathGradient();

    /** Every estimator, in a fixed order. */
    static List<GradientEstimator> all() { return List.of(REPARAMETERIZED, PATH); }

    /** The estimator named {@code s} (training.estimator). */
    static GradientEstimator parse(String s) {
        switch (s == null ? "" : s.trim().toLowerCase()) {
            case "reparameterized": case "reparam": case "rep": return REPARAMETERIZED;
            case "path": case "path-gradient": case "pathgradient": return PATH;
            default: throw new IllegalArgumentException("training.estimator '" + s + "': expected reparameterized or path");
        }
    }

    /** S(U) per sample of a batch of link tensors. */
    static Tensor action(Theory theory, Tensor links) {
        return theory.action().action(new GaugeField(theory.group(), theory.lattice(), links));
    }
}
