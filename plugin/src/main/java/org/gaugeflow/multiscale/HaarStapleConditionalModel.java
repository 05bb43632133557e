package org.gaugeflow.multiscale;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.tensor.Rng;

/**
 * The simplest exact staple-conditional model (Sec. 3.1): U is Haar-distributed and ignores its
 * staples, q(U | S_1, ..., S_n) = 1, log q = 0. A reference for tests and a valid (if poor) model.
 */
public final class HaarStapleConditionalModel implements StapleConditionalModel {
    private final GaugeGroup group;
    private final int staples;

    public HaarStapleConditionalModel(GaugeGroup group, int staples) {
        if (staples < 1) throw new IllegalArgumentException("staples = " + staples + ": expected >= 1");
        this.group = group;
        this.staples = staples;
    }

    @Override public GaugeGroup group() { return group; }

    @Override public int staples() { return staples; }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        long[] sites = StapleContext.siteShape(context, n, staples, group);
        Tensor u = group.haar(rng, sites);
        return new Sample(u, torch.zeros(new long[] {n}, rng.options().real()));
    }

    @Override public Tensor logProb(Tensor u, Tensor context) {
        StapleContext.checkLinks(u, context, staples, group);
        return torch.zeros(new long[] {u.sizes().at(0)}, torch.real(u).options());
    }

}
