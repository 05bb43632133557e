package org.gaugeflow.training;

import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * Reverse-KL training (Eq. (3)): minimizes mean[log q(U) + S(U)] over samples U ~ q with Adam,
 * gradient clipping and a learning-rate schedule. Works with any model that is a {@link Density} over
 * GaugeField link tensors [B, d, L_{d-1}..L_0, N, N] and a {@link Module} (its parameters are the
 * optimizer's); the target is a {@link WilsonAction}.
 *
 * <p>Each step runs in its own PointerScope; the model and optimizer are created outside any scope.
 */
public final class ReverseKlTrainer<M extends Module & Density> implements AutoCloseable {
    private final M model;
    private final GaugeGroup group;
    private final Lattice lattice;
    private final WilsonAction action;
    private final TrainingConfig config;
    private final Adam optimizer;
    private final TensorVector parameters;
    private final Rng rng;
    private long step;

    /** The outcome of one step: its reweighting statistics, learning rate and gradient norm (before clipping). */
    public record StepResult(long step, ReweightingStats stats, double lr, double gradNorm) {}

    public ReverseKlTrainer(M model, GaugeGroup group, Lattice lattice, WilsonAction action, TrainingConfig config) {
        this.model = model;
        this.group = group;
        this.lattice = lattice;
        this.action = action;
        this.config = config;
        this.parameters = model.parameters();
        if (parameters.size() == 0) throw new IllegalArgumentException("model " + model.getClass().getSimpleName() + ": expected trainable parameters");
        this.optimizer = new Adam(parameters, new AdamOptions(config.schedule().lr()));
        this.rng = new Rng(config.seed(), config.options());
    }

    /**
     * A trainer for a model known at run time to be both a Module and a Density (e.g. built by a factory
     * keyed by a configuration's model type).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ReverseKlTrainer<?> forModel(Module model, GaugeGroup group, Lattice lattice, WilsonAction action,
                                               TrainingConfig config) {
        if (!(model instanceof Density)) {
            throw new IllegalArgumentException("model " + model.getClass().getName() + ": expected a Density over gauge-field link tensors");
        }
        return new ReverseKlTrainer(model, group, lattice, action, config);
    }

    public M model() { return model; }

    public TrainingConfig config() { return config; }

    public Adam optimizer() { return optimizer; }

    public Rng rng() { return rng; }

    /** Steps completed so far. */
    public long step() { return step; }

    void setStep(long s) { step = s; }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (long i = 0; i < parameters.size(); i++) n += parameters.get(i).numel();
        return n;
    }

    private Tensor actionOf(Tensor links) { return action.action(new GaugeField(group, lattice, links)); }

    /** One optimization step. */
    public StepResult trainStep() {
        double lr = config.schedule().at(step, config.steps());
        ReweightingStats stats;
        double norm;
        try (PointerScope scope = new PointerScope()) {
            optimizer.param_groups().get(0).options().set_lr(lr);
            optimizer.zero_grad();
            long b = config.batch();
            if (config.estimator() == GradientEstimator.REPARAMETERIZED) {
                Sample s = model.sample(b, rng);
                Tensor logW = s.logQ().add(actionOf(s.value())).neg();
                logW.mean().neg().backward();
                stats = ReweightingStats.of(logW);
            } else {
                stats = pathGradientStep(b);
            }
            norm = config.gradClip() > 0 ? torch.clip_grad_norm_(parameters, config.gradClip())
                    : torch.clip_grad_norm_(parameters, Double.MAX_VALUE);
            optimizer.step();
        }
        step++;
        return new StepResult(step, stats, lr, norm);
    }

    /**
     * Path gradient: G = d/dU [log q(U) + S(U)] at U = f(z) with the parameters held fixed (an inverse pass
     * w.r.t. U only), then U = f(z) is recomputed from the same noise (the stream is rewound) and G is
     * back-propagated through the sample path alone.
     */
    private ReweightingStats pathGradientStep(long b) {
        Tensor state = rng.state().clone();
        Tensor u0;
        try (NoGradGuard g = new NoGradGuard()) {
            u0 = model.sample(b, rng).value();
        }
        Tensor u = u0.detach().set_requires_grad(true);
        Tensor f = model.logProb(u).add(actionOf(u)).mean();
        Tensor grad = torch.grad(new TensorVector(f), new TensorVector(u)).get(0);
        rng.setState(state);
        Sample s = model.sample(b, rng);
        s.value().backward(grad, new BoolOptional(false), false, new TensorArrayRefOptional());
        Tensor logW;
        try (NoGradGuard g = new NoGradGuard()) {
            logW = s.logQ().add(actionOf(s.value())).neg();
        }
        return ReweightingStats.of(logW);
    }

    /**
     * Samples n configurations from the model (in batches, no gradients) and returns their reweighting
     * statistics, with per-sample log w available to the callback (e.g. for a bootstrap).
     */
    public ReweightingStats evaluate(long n, long batch, Rng evalRng) {
        return evaluate(model, group, lattice, action, n, batch, evalRng, null);
    }

    /** As {@link #evaluate(long, long, Rng)} for any model; {@code sink} (may be null) receives each batch's log w as doubles. */
    public static ReweightingStats evaluate(Density model, GaugeGroup group, Lattice lattice, WilsonAction action,
                                            long n, long batch, Rng evalRng, Function<double[], Void> sink) {
        if (n < 2) throw new IllegalArgumentException("samples = " + n + ": expected >= 2");
        double[] all = new double[(int) n];
        int filled = 0;
        try (NoGradGuard g = new NoGradGuard()) {
            while (filled < n) {
                long b = Math.min(batch, n - filled);
                try (PointerScope scope = new PointerScope()) {
                    Sample s = model.sample(b, evalRng);
                    Tensor logW = s.logQ().add(action.action(new GaugeField(group, lattice, s.value()))).neg();
                    double[] lw = Tensors.toArray(logW);
                    System.arraycopy(lw, 0, all, filled, lw.length);
                    filled += lw.length;
                }
            }
        }
        if (sink != null) sink.apply(all);
        try (PointerScope scope = new PointerScope()) {
            return ReweightingStats.of(Tensors.fromArray(all, all.length));
        }
    }

    @Override public void close() { rng.close(); }
}
