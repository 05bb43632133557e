package org.gaugeflow.training;

import java.util.List;
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
 */
public interface GradientEstimator {

    /** The name used in configurations and outputs. */
    String label();

    /** Draws a batch, accumulates the gradient of the reverse-KL loss, returns the batch's statistics. */
    ReweightingStats accumulateGradient(Density model, long batch, Rng rng, Theory theory);

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
