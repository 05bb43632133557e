package org.gaugeflow.training;

/**
 * Learning rate as a function of the step: {@code constant}; {@code cosine} from lr to minLr over the
 * run's total steps; {@code step}: lr * gamma^floor(step / every).
 */
public record LearningRateSchedule(String kind, double lr, double minLr, long every, double gamma) {

    public LearningRateSchedule {
        kind = kind == null ? "cosine" : kind.trim().toLowerCase();
        if (!(kind.equals("constant") || kind.equals("cosine") || kind.equals("step"))) {
            throw new IllegalArgumentException("training.schedule '" + kind + "': expected constant, cosine or step");
        }
        if (!(lr > 0)) throw new IllegalArgumentException("training.lr = " + lr + ": expected > 0");
        if (!(minLr >= 0 && minLr <= lr)) throw new IllegalArgumentException("training.min_lr = " + minLr + ": expected in [0, lr]");
        if (kind.equals("step") && every < 1) throw new IllegalArgumentException("training.lr_step_every = " + every + ": expected >= 1");
        if (kind.equals("step") && !(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("training.lr_gamma = " + gamma + ": expected in (0, 1]");
    }

    /** The learning rate at step t (0-based) of a run of totalSteps steps. */
    public double at(long t, long totalSteps) {
        switch (kind) {
            case "cosine": {
                double frac = totalSteps <= 1 ? 0 : Math.min(1.0, (double) t / (totalSteps - 1));
                return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * frac));
            }
            case "step": return lr * Math.pow(gamma, Math.floor((double) t / every));
            default: return lr;
        }
    }
}
