package org.gaugeflow.training;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Density;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;

/**
 * Reverse-KL training (Eq. (3)): minimizes mean[log q(U) + S(U)] over samples U ~ q with Adam, gradient clipping
 * and a learning-rate schedule; the gradient of each batch comes from the configured {@link GradientEstimator}
 * strategy. Works with any model that is a {@link Density} over GaugeField link tensors [B, d, L_{d-1}..L_0, N, N]
 * and a {@link Module} (its parameters are the optimizer's); the target is a {@link Theory}.
 *
 * <p>Each step runs in its own PointerScope; the model and optimizer are created outside any scope.
 */
public final class ReverseKlTrainer<M extends Module & Density> implements AutoCloseable {
    private final M model;
    private final Theory theory;
    private final TrainingConfig config;
    private final Adam optimizer;
    private final TensorVector parameters;
    private final Rng rng;
    private long step;

    /** The outcome of one step: its reweighting statistics, learning rate and gradient norm (before clipping). */
    public record StepResult(long step, ReweightingStats stats, double lr, double gradNorm) {}

    public ReverseKlTrainer(M model, Theory theory, TrainingConfig config) {
        this.model = model;
        this.theory = theory;
        this.config = config;
        this.parameters = model.parameters();
        if (parameters.size() == 0) throw new IllegalArgumentException("model " + model.getClass().getSimpleName() + ": expected trainable parameters");
        this.optimizer = new Adam(parameters, new AdamOptions(config.schedule().lr()));
        this.rng = new Rng(config.seed(), config.options());
    }

    /**
     * A trainer for a model known at run time to be both a Module and a Density (e.g. built by the model registry).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ReverseKlTrainer<?> forModel(Module model, Theory theory, TrainingConfig config) {
        if (!(model instanceof Density)) {
            throw new IllegalArgumentException("model " + model.getClass().getName() + ": expected a Density over gauge-field link tensors");
        }
        return new ReverseKlTrainer(model, theory, config);
    }

    public M model() { return model; }

    public Theory theory() { return theory; }

    public TrainingConfig config() { return config; }

    public Adam optimizer() { return optimizer; }

    public Rng rng() { return rng; }

    /** Steps completed so far. */
    public long step() { return step; }

    void setStep(long s) { step = s; }

    /** Number of trainable scalars. */
    public long parameterCount() { return parameterCount(model); }

    /** Number of trainable scalars of a module. */
    public static long parameterCount(Module m) {
        TensorVector ps = m.parameters();
        long n = 0;
        for (long i = 0; i < ps.size(); i++) n += ps.get(i).numel();
        return n;
    }

    /** One optimization step. */
    public StepResult trainStep() {
        double lr = config.schedule().at(step, config.steps());
        ReweightingStats stats;
        double norm;
        try (PointerScope scope = new PointerScope()) {
            optimizer.param_groups().get(0).options().set_lr(lr);
            optimizer.zero_grad();
            stats = config.estimator().accumulateGradient(model, config.batch(), rng, theory);
            // no clipping (grad_clip <= 0): LibTorch still computes the norm; its max_norm becomes a scalar of the
            // parameters' dtype, so it must fit in float32 (Double.MAX_VALUE failed with "cannot be converted to
            // type float without overflow")
            norm = torch.clip_grad_norm_(parameters, config.gradClip() > 0 ? config.gradClip() : Float.MAX_VALUE);
            optimizer.step();
        }
        step++;
        return new StepResult(step, stats, lr, norm);
    }

    /** Samples n configurations from the model (in batches, no gradients) and evaluates them. */
    public ModelEvaluation evaluate(long n, long batch, Rng evalRng) {
        return ModelEvaluation.run(model, theory, n, batch, evalRng);
    }

    @Override public void close() { rng.close(); }
}
