package org.gaugeflow.multiscale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * Model-quality statistics of a density over gauge fields against the Wilson target p ~ exp(-S): the reverse
 * KL divergence up to log Z (Eq. (3)) and the effective sample size of Eq. (4), from n model samples.
 */
public final class ReverseKl {
    private ReverseKl() {}

    /** The estimates from one evaluation: ESS (Eq. (4)), E_q[log q + S] = KL - log Z (Eq. (3)), and samples used. */
    public record Quality(double ess, double klMinusLogZ, long samples) {}

    /** The reverse-KL training loss mean(log q + S) of a batch of samples (Eq. (3) without log Z). */
    public static Tensor loss(Sample s, GaugeGroup group, Lattice lattice, WilsonAction action) {
        return s.logQ().add(action.action(new GaugeField(group, lattice, s.value()))).mean();
    }

    /** ESS and KL - log Z from n samples drawn in batches of {@code batch}, without gradients. */
    public static Quality evaluate(Density model, GaugeGroup group, Lattice lattice, WilsonAction action, long n,
            long batch, Rng rng) {
        double[] logW = new double[(int) n];
        double kl = 0;
        try (NoGradGuard g = new NoGradGuard()) {
            for (long done = 0; done < n; done += batch) {
                long b = Math.min(batch, n - done);
                try (PointerScope scope = new PointerScope()) {
                    Sample s = model.sample(b, rng);
                    Tensor lw = action.logWeight(new GaugeField(group, lattice, s.value())).sub(s.logQ());
                    double[] v = Tensors.toArray(lw);
                    System.arraycopy(v, 0, logW, (int) done, (int) b);
                    for (double x : v) kl -= x;
                }
            }
        }
        return new Quality(ess(logW), kl / n, n);
    }

    /** Eq. (4): ESS = (sum w)^2 / (n sum w^2) from log-weights, computed stably. */
    public static double ess(double[] logW) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logW) max = Math.max(max, v);
        double s1 = 0;
        double s2 = 0;
        for (double v : logW) {
            double w = Math.exp(v - max);
            s1 += w;
            s2 += w * w;
        }
        return s1 * s1 / (logW.length * s2);
    }

}
