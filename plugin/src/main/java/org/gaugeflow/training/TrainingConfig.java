package org.gaugeflow.training;

import org.gaugeflow.tensor.FieldOptions;

/**
 * Settings of reverse-KL training (Eq. (3)).
 *
 * @param batch            samples per step
 * @param steps            total optimization steps of the run (the LR schedule spans them)
 * @param schedule         learning-rate schedule (Adam)
 * @param gradClip         max global L2 norm of the gradient (<= 0: no clipping)
 * @param seed             seed of the sampling stream (parameter initialization uses seed + 1)
 * @param options          precision and device
 * @param metricsInterval  steps between metric records
 * @param estimator        gradient estimator
 * @param maxSeconds       wall-clock training budget in seconds, evaluation not counted (0: none): training stops
 *                         at the first step that ends past it
 */
public record TrainingConfig(long batch, long steps, LearningRateSchedule schedule, double gradClip, long seed,
                             FieldOptions options, long metricsInterval, GradientEstimator estimator, double maxSeconds) {
    public TrainingConfig {
        if (batch < 2) throw new IllegalArgumentException("training.batch = " + batch + ": expected >= 2");
        if (steps < 0) throw new IllegalArgumentException("training.steps = " + steps + ": expected >= 0");
        if (metricsInterval < 1) throw new IllegalArgumentException("training.metrics_interval = " + metricsInterval + ": expected >= 1");
        if (schedule == null || options == null || estimator == null) throw new IllegalArgumentException("training config: schedule, options and estimator are required");
        if (!(maxSeconds >= 0) || Double.isInfinite(maxSeconds)) throw new IllegalArgumentException("training.max_seconds = " + maxSeconds + ": expected a number >= 0");
    }

    /** Without a time budget. */
    public TrainingConfig(long batch, long steps, LearningRateSchedule schedule, double gradClip, long seed,
                          FieldOptions options, long metricsInterval, GradientEstimator estimator) {
        this(batch, steps, schedule, gradClip, seed, options, metricsInterval, estimator, 0);
    }

    /** The same settings with a different total step count. */
    public TrainingConfig withSteps(long s) {
        return new TrainingConfig(batch, s, schedule, gradClip, seed, options, metricsInterval, estimator, maxSeconds);
    }

    /** The same settings with other precision and device. */
    public TrainingConfig withOptions(FieldOptions o) {
        return new TrainingConfig(batch, steps, schedule, gradClip, seed, o, metricsInterval, estimator, maxSeconds);
    }

    /** The same settings with a wall-clock budget (0: none). */
    public TrainingConfig withMaxSeconds(double s) {
        return new TrainingConfig(batch, steps, schedule, gradClip, seed, options, metricsInterval, estimator, s);
    }
}
