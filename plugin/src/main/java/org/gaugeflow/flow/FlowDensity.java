package org.gaugeflow.flow;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.tensor.Rng;

/**
 * Eq. (1): the model density of a prior r pushed through a flow f,
 * q(y) = r(f^{-1}(y)) |det d f^{-1}/dy|.
 */
public final class FlowDensity extends Module implements Density {
    private final Density prior;
    private final Transform flow;

    public FlowDensity(Density prior, Transform flow) {
        this.prior = prior;
        this.flow = flow;
        if (prior instanceof Module m) register_module("prior", m);
        if (flow instanceof Module m) register_module("flow", m);
    }

    public Density prior() { return prior; }

    public Transform flow() { return flow; }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        Sample z = prior.sample(n, rng, context);
        Transformed y = flow.forward(z.value(), context);
        return new Sample(y.value(), z.logQ().sub(y.logDet()));
    }

    @Override public Tensor logProb(Tensor y, Tensor context) {
        Transformed z = flow.inverse(y, context);
        return prior.logProb(z.value(), context).add(z.logDet());
    }
}
