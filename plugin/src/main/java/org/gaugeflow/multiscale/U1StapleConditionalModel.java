package org.gaugeflow.multiscale;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The U(1) staple-conditional flow of Sec. 3.1 (Eq. (11)): the heatbath-like prior of Eq. (6) with learned
 * beta-tilde ({@link U1HeatbathPrior}) followed by {@link U1LoopCoupling} layers, each acting on its own
 * effective loop P (Eqs. (12), (14), (15)). q(U | S) = r(f^{-1}(U) | S) |det d f^{-1}/dU|.
 */
public final class U1StapleConditionalModel extends Module implements StapleConditionalModel {
    private final int staples;
    private final U1HeatbathPrior prior;
    private final List<U1LoopCoupling> couplings;

    /**
     * @param staples     n
     * @param layers      number of coupling layers (0: the heatbath prior alone)
     * @param bins        spline bins
     * @param hidden      hidden widths of the spline-parameter MLP
     * @param betaTilde   initial beta-tilde of the prior
     * @param init        random stream for the initial weights
     */
    public U1StapleConditionalModel(int staples, int layers, int bins, int[] hidden, double betaTilde,
            FieldOptions options, Rng init) {
        if (layers < 0) throw new IllegalArgumentException("staple-conditional layers = " + layers + ": expected >= 0");
        this.staples = staples;
        this.prior = register_module("prior", new U1HeatbathPrior(staples, betaTilde, options));
        List<U1LoopCoupling> c = new ArrayList<>();
        for (int i = 0; i < layers; i++) c.add(register_module("coupling" + i, new U1LoopCoupling(staples, bins, hidden, options, init)));
        this.couplings = List.copyOf(c);
    }

    @Override public GaugeGroup group() { return U1.INSTANCE; }

    @Override public int staples() { return staples; }

    public U1HeatbathPrior prior() { return prior; }

    public List<U1LoopCoupling> couplings() { return couplings; }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        Sample z = prior.sample(n, rng, context);
        Tensor u = z.value();
        Tensor logQ = z.logQ();
        for (U1LoopCoupling c : couplings) {
            Transformed t = c.forward(u, context);
            u = t.value();
            logQ = logQ.sub(t.logDet());
        }
        return new Sample(u, logQ);
    }

    @Override public Tensor logProb(Tensor u, Tensor context) {
        Tensor logDet = null;
        for (int i = couplings.size() - 1; i >= 0; i--) {
            Transformed t = couplings.get(i).inverse(u, context);
            u = t.value();
            logDet = logDet == null ? t.logDet() : logDet.add(t.logDet());
        }
        Tensor lp = prior.logProb(u, context);
        return logDet == null ? lp : lp.add(logDet);
    }
}
