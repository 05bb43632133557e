package org.gaugeflow.training;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.Tensors;

/**
 * Statistics of the reweighting factors w(U) = e^{-S(U)} / q(U) of B model samples, all in log space:
 * <ul>
 *   <li>ESS (Eq. (4)) = (sum w)^2 / (B sum w^2) = exp(2 LSE(log w) - LSE(2 log w) - log B);
 *   <li>log Z estimate = LSE(log w) - log B, with the delta-method error sqrt((1/ESS - 1) / B);
 *   <li>loss = mean(log q + S) = KL(q||p) - log Z (Eq. (3)), and the KL estimate loss + log Z.
 * </ul>
 */
public record ReweightingStats(long samples, double ess, double logZ, double logZError, double loss, double lossError) {

    /** From per-sample log w = -S - log q (any shape, flattened; float64 is used for the sums). */
    public static ReweightingStats of(Tensor logW) {
        Tensor lw = logW.detach().flatten().to(torch.ScalarType.Double);
        long n = lw.numel();
        double lse = torch.logsumexp(lw, 0).item_double();
        double lse2 = torch.logsumexp(lw.mul(new org.bytedeco.pytorch.Scalar(2.0)), 0).item_double();
        double logN = Math.log(n);
        double ess = Math.exp(2 * lse - lse2 - logN);
        double logZ = lse - logN;
        double logZErr = Math.sqrt(Math.max(0, 1 / ess - 1) / n);
        double loss = -lw.mean().item_double();
        double lossErr = n > 1 ? lw.std(true).item_double() / Math.sqrt(n) : Double.NaN;
        return new ReweightingStats(n, ess, logZ, logZErr, loss, lossErr);
    }

    /** KL(q||p) = loss + log Z for a given (estimated or exact) log Z. */
    public double kl(double logZ) { return loss + logZ; }

    /** KL estimated with this sample's own log Z estimate (biased low for small ESS). */
    public double klEstimate() { return loss + logZ; }

    static double item(Tensor t) { return Tensors.item(t); }
}
