package org.gaugeflow.training;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;

/**
 * The reparameterization gradient of the reverse KL (Eq. (3)): with U = f(z), z from the prior, the loss
 * mean[log q(U) + S(U)] is differentiated through both the sample path and the parameters of log q.
 */
public final class ReparameterizedGradient implements GradientEstimator {

    @Override public String label() { return "reparameterized"; }

    @Override public Tensor accumulate(Density model, long batch, Rng rng, Theory theory, Backward backward) {
        Sample s = model.sample(batch, rng);
        Tensor logW = s.logQ().add(GradientEstimator.action(theory, s.value())).neg();
        Tensor loss = logW.mean().neg();
        if (backward.scale() != 1.0) loss = loss.mul(new Scalar(backward.scale()));
        backward.beforeBackward(loss);
        loss.backward();
        return logW.detach();
    }

    @Override public String toString() { return label(); }
}
