package org.gaugeflow.training;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;

/**
 * The path gradient of the reverse KL (Roeder et al. 2017; Vaitl et al. 2022): only the dependence through the
 * sample U = f(z) is differentiated; the score term, zero in expectation, is dropped, so the estimator's variance
 * vanishes when q = p. G = d/dU [log q(U) + S(U)] is taken at U = f(z) with the parameters held fixed (an inverse
 * pass with respect to U only); then U = f(z) is recomputed from the same noise (the stream is rewound) and G is
 * back-propagated through the sample path alone.
 */
public final class PathGradient implements GradientEstimator {

    @Override public String label() { return "path"; }

    @Override public Tensor accumulate(Density model, long batch, Rng rng, Theory theory, Backward backward) {
        Tensor state = rng.state().clone();
        Tensor u0;
        try (NoGradGuard g = new NoGradGuard()) {
            u0 = model.sample(batch, rng).value();
        }
        Tensor u = u0.detach().set_requires_grad(true);
        Tensor f = model.logProb(u).add(GradientEstimator.action(theory, u)).mean();
        Tensor grad = torch.grad(new TensorVector(f), new TensorVector(u)).get(0);
        if (backward.scale() != 1.0) grad = grad.mul(new Scalar(backward.scale()));
        rng.setState(state);
        Sample s = model.sample(batch, rng);
        backward.beforeBackward(s.value());
        s.value().backward(grad, new BoolOptional(false), false, new TensorArrayRefOptional());
        Tensor logW;
        try (NoGradGuard g = new NoGradGuard()) {
            logW = s.logQ().add(GradientEstimator.action(theory, s.value())).neg();
        }
        return logW;
    }

    @Override public String toString() { return label(); }
}
