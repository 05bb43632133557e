package org.gaugeflow.training;

import org.gaugeflow.analysis.ReweightingStats;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Density;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * Reverse-KL training (Eq. (3)): minimizes mean[log q(U) + S(U)] over samples U ~ q with Adam, gradient clipping
 * and a learning-rate schedule; the gradient of each batch comes from the configured {@link GradientEstimator}
 * strategy. Works with any model that is a {@link Density} over GaugeField link tensors [B, d, L_{d-1}..L_0, N, N]
 * and a {@link Module} (its parameters are the optimizer's); the target is a {@link Theory}.
 *
 * <p>With a {@link Parallelism} other than {@link Parallelism#NONE} the batch of step s is drawn in shards from
 * per-step streams ({@link ShardedSampling}); each shard's loss is weighted by its share of the global batch, and in
 * a data-parallel run the gradients are all-reduced (averaged) over the ranks by the {@link DataParallel} group
 * before clipping and the Adam step, so every rank takes the same step. The step's statistics are those of the
 * whole global batch (its log w gathered from the ranks).
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
    private final Parallelism parallelism;
    private boolean synchronizedOnce;
    private Boolean everyParameterUsed;
    private long step;

    /** The outcome of one step: its reweighting statistics, learning rate and gradient norm (before clipping). */
    public record StepResult(long step, ReweightingStats stats, double lr, double gradNorm) {}

    public ReverseKlTrainer(M model, Theory theory, TrainingConfig config) {
        this(model, theory, config, Parallelism.NONE);
    }

    /** A trainer that draws and combines its batches as {@code parallelism} says. */
    public ReverseKlTrainer(M model, Theory theory, TrainingConfig config, Parallelism parallelism) {
        this.parallelism = parallelism == null ? Parallelism.NONE : parallelism;
        if (this.parallelism.sharded()) {
            int shards = this.parallelism.sampling().shards();
            if (config.batch() < shards) {
                throw new IllegalArgumentException("training.batch = " + config.batch() + " over " + shards
                        + " ranks: expected a batch of at least one sample per rank");
            }
        }
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
    public static ReverseKlTrainer<?> forModel(Module model, Theory theory, TrainingConfig config) {
        return forModel(model, theory, config, Parallelism.NONE);
    }

    /** {@link #forModel(Module, Theory, TrainingConfig)} with a parallelism. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ReverseKlTrainer<?> forModel(Module model, Theory theory, TrainingConfig config, Parallelism parallelism) {
        if (!(model instanceof Density)) {
            throw new IllegalArgumentException("model " + model.getClass().getName() + ": expected a Density over gauge-field link tensors");
        }
        return new ReverseKlTrainer(model, theory, config, parallelism);
    }

    public M model() { return model; }

    public Theory theory() { return theory; }

    public TrainingConfig config() { return config; }

    public Adam optimizer() { return optimizer; }

    /** The sequential sampling stream (unused by sharded sampling, whose streams are derived per step). */
    public Rng rng() { return rng; }

    /** How batches are drawn and gradients combined. */
    public Parallelism parallelism() { return parallelism; }

    /**
     * Makes the ranks' models equal (rank 0's parameters and buffers) before the next step; the first step does it
     * by itself, a resume calls it again after loading the checkpoint. Without a group it does nothing.
     */
    public void synchronizeRanks() {
        if (parallelism.group() != null) {
            if (everyParameterUsed == null) everyParameterUsed = probeEveryParameterUsed();
            parallelism.group().synchronize(model, everyParameterUsed);
        }
        synchronizedOnce = true;
    }

    /**
     * Whether the estimator gives every parameter a gradient (e.g. the path gradient gives none to a parameter that
     * enters log q but not the sample path): one backward pass on two samples of a throwaway stream, gradients
     * cleared afterwards. The same on every rank.
     */
    private boolean probeEveryParameterUsed() {
        try (PointerScope scope = new PointerScope(); Rng probe = new Rng(0x5EED5EEDL, config.options())) {
            optimizer.zero_grad();
            config.estimator().accumulate(model, Math.min(2, config.batch()), probe, theory, GradientEstimator.Backward.PLAIN);
            boolean all = true;
            for (long i = 0; i < parameters.size(); i++) all &= parameters.get(i).grad().defined();
            optimizer.zero_grad();
            return all;
        }
    }

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

    /**
     * One optimization step. In a data-parallel run a broken collective (a rank that died or hung) raises the
     * group's one-line {@link DataParallel#failure} naming the rank.
     */
    public StepResult trainStep() {
        if (!parallelism.sharded()) return sequentialStep();
        DataParallel group = parallelism.group();
        if (!synchronizedOnce) synchronizeRanks();
        try {
            return shardedStep(group);
        } catch (RuntimeException e) {
            if (group == null) throw e;
            throw group.failure("step " + (step + 1), e);
        }
    }

    private StepResult sequentialStep() {
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

    /**
     * A step on per-step shard streams: each own shard k of the global batch B contributes n_k * P / B times the
     * gradient of its mean loss (P processes, whose gradients the group averages), so the gradients add up to the
     * gradient of the global batch's mean loss.
     */
    private StepResult shardedStep(DataParallel group) {
        double lr = config.schedule().at(step, config.steps());
        long batch = config.batch();
        ShardedSampling sampling = parallelism.sampling();
        int shards = sampling.shards();
        int processes = parallelism.processes();
        double[] logW = new double[(int) batch];
        double norm;
        try (PointerScope scope = new PointerScope()) {
            optimizer.param_groups().get(0).options().set_lr(lr);
            optimizer.zero_grad();
            if (group != null) group.beforeForward();
            for (int k : sampling.own()) {
                long n = ShardedSampling.size(batch, shards, k);
                double scale = (double) n * processes / batch;
                GradientEstimator.Backward backward = new GradientEstimator.Backward(scale, group == null ? null : group::beforeBackward);
                try (Rng shardRng = new Rng(ShardedSampling.seed(config.seed(), step, k), config.options())) {
                    Tensor lw = config.estimator().accumulate(model, n, shardRng, theory, backward);
                    System.arraycopy(Tensors.toArray(lw), 0, logW, (int) ShardedSampling.offset(batch, shards, k), (int) n);
                }
            }
            if (group != null) {
                group.afterBackward(model);
                logW = group.allreduceSum(logW);
            }
            norm = torch.clip_grad_norm_(parameters, config.gradClip() > 0 ? config.gradClip() : Double.MAX_VALUE);
            optimizer.step();
        }
        step++;
        return new StepResult(step, ReweightingStats.of(logW), lr, norm);
    }

    /** Samples n configurations from the model (in batches, no gradients) and evaluates them. */
    public ModelEvaluation evaluate(long n, long batch, Rng evalRng) {
        return ModelEvaluation.run(model, theory, n, batch, evalRng);
    }

    @Override public void close() { rng.close(); }
}
