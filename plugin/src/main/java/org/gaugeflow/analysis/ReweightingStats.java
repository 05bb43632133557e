package org.gaugeflow.analysis;

import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.tensor.Tensors;

/**
 * Statistics of the reweighting factors w(U) = e^{-S(U)} / q(U) of n model samples, all in log space. This is the
 * one place where gaugeflow computes them:
 * <ul>
 *   <li>ESS (Eq. (4)) = (sum w)^2 / (n sum w^2) = exp(2 LSE(log w) - LSE(2 log w) - log n);
 *   <li>log Z estimate = LSE(log w) - log n, with the delta-method error sqrt((1/ESS - 1) / n);
 *   <li>loss = mean(log q + S) = KL(q||p) - log Z (Eq. (3)), with its standard error, and KL = loss + log Z for a
 *       given (exact or estimated) log Z;
 *   <li>a bootstrap error of the ESS ({@link #bootstrapEssError}).
 * </ul>
 *
 * @param samples   n
 * @param ess       Eq. (4), in (0, 1]
 * @param logZ      log Z estimate
 * @param logZError its delta-method error
 * @param loss      mean(log q + S)
 * @param lossError standard error of the loss
 */
public record ReweightingStats(long samples, double ess, double logZ, double logZError, double loss, double lossError) {

    /** From per-sample log w = -S - log q (a tensor of any shape, flattened). */
    public static ReweightingStats of(Tensor logW) {
        return of(Tensors.toArray(logW.detach().flatten()));
    }

    /** From per-sample log w = -S - log q. */
    public static ReweightingStats of(double[] logW) {
        int n = logW.length;
        if (n < 1) throw new IllegalArgumentException("reweighting statistics of 0 samples: expected >= 1");
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double v : logW) {
            max = Math.max(max, v);
            sum += v;
        }
        double s1 = 0;
        double s2 = 0;
        for (double v : logW) {
            double e = Math.exp(v - max);
            s1 += e;
            s2 += e * e;
        }
        double lse = max + Math.log(s1);
        double lse2 = 2 * max + Math.log(s2);
        double logN = Math.log(n);
        double ess = Math.exp(2 * lse - lse2 - logN);
        double logZ = lse - logN;
        double logZErr = Math.sqrt(Math.max(0, 1 / ess - 1) / n);
        double mean = sum / n;
        double var = 0;
        for (double v : logW) var += (v - mean) * (v - mean);
        double lossErr = n > 1 ? Math.sqrt(var / (n - 1)) / Math.sqrt(n) : Double.NaN;
        return new ReweightingStats(n, ess, logZ, logZErr, -mean, lossErr);
    }

    /** KL(q||p) = loss + log Z for a given (estimated or exact) log Z. */
    public double kl(double logZ) { return loss + logZ; }

    /** KL estimated with this sample's own log Z estimate (biased low for small ESS). */
    public double klEstimate() { return loss + logZ; }

    /** KL with the exact log Z where it is known (not NaN), else with the estimate. */
    public double klWith(double exactLogZ) { return Double.isNaN(exactLogZ) ? klEstimate() : kl(exactLogZ); }

    /** Standard deviation of the ESS over {@code k} bootstrap resamples of the log-weights (seeded). */
    public static double bootstrapEssError(double[] logW, int k, long seed) {
        if (k < 2) throw new IllegalArgumentException("bootstrap resamples = " + k + ": expected >= 2");
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = logW.length;
        double sum = 0;
        double sum2 = 0;
        double[] pick = new double[n];
        for (int rep = 0; rep < k; rep++) {
            for (int i = 0; i < n; i++) pick[i] = logW[rnd.nextInt(n)];
            double ess = of(pick).ess();
            sum += ess;
            sum2 += ess * ess;
        }
        double mean = sum / k;
        return Math.sqrt(Math.max(0, sum2 / k - mean * mean) * k / (k - 1));
    }
}
