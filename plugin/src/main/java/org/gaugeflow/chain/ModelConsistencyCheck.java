package org.gaugeflow.chain;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * The start-up check of a proposal model: the log q that {@code sample} reports for its samples must equal
 * {@code logProb} of the same samples. A model that fails (a dropped or mis-signed log-Jacobian, a wrong
 * prior normalization in one path, weights that do not belong to the architecture) would give a biased
 * ensemble under independence Metropolis, so the chain refuses it.
 */
public final class ModelConsistencyCheck {
    /** Relative tolerance per precision: |logQ - logProb| <= tol * max(1, |logQ|). */
    public static final double DOUBLE_TOLERANCE = 1e-8;
    public static final double FLOAT_TOLERANCE = 1e-4;

    private ModelConsistencyCheck() {}

    /** The result: the worst sample and its two values. */
    public record Result(int samples, double maxDeviation, double sampleLogQ, double logProb, double tolerance) {
        public boolean passed() { return maxDeviation <= tolerance; }
    }

    public static Result run(Density model, FieldOptions modelOptions, int samples, long seed) {
        if (samples < 1) throw new IllegalArgumentException("consistency samples = " + samples + ": expected >= 1");
        double rel = modelOptions.precision() == Precision.DOUBLE ? DOUBLE_TOLERANCE : FLOAT_TOLERANCE;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard();
             Rng rng = new Rng(seed, modelOptions)) {
            Sample s = model.sample(samples, rng);
            double[] q = Tensors.toArray(s.logQ());
            double[] p = Tensors.toArray(model.logProb(s.value()));
            if (q.length != samples || p.length != samples) {
                throw new InconsistentModelException("model returned " + q.length + " log q values and " + p.length
                        + " logProb values for " + samples + " samples: expected " + samples + " each");
            }
            double worst = -1;
            int at = 0;
            double tolAt = 0;
            for (int i = 0; i < samples; i++) {
                double dev = Math.abs(q[i] - p[i]);
                if (!Double.isFinite(dev)) dev = Double.POSITIVE_INFINITY;
                double tol = rel * Math.max(1, Math.abs(q[i]));
                if (dev - tol > worst - tolAt || i == 0) {
                    worst = dev;
                    at = i;
                    tolAt = tol;
                }
            }
            return new Result(samples, worst, q[at], p[at], tolAt);
        }
    }

    /** Runs the check and throws {@link InconsistentModelException} when it fails. */
    public static Result require(Density model, FieldOptions modelOptions, int samples, long seed, String what) {
        Result r = run(model, modelOptions, samples, seed);
        if (!r.passed()) {
            throw new InconsistentModelException(what + ": log q of its samples disagrees with logProb of the same "
                    + "samples (" + r.sampleLogQ() + " vs " + r.logProb() + ", |difference| " + r.maxDeviation()
                    + "); expected agreement within " + r.tolerance() + "; refusing to use it as a proposal");
        }
        return r;
    }
}
