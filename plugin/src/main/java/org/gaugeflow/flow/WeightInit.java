package org.gaugeflow.flow;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * The one weight-initialization convention of every network in gaugeflow: weights and biases uniform in
 * +-1/sqrt(fan_in) (PyTorch's default for Linear and Conv layers), drawn from an explicit, seeded {@link Rng}
 * in the order the layers are built, never from LibTorch's global generator. A model built twice from
 * {@code Rng}s with the same seed has the same weights. Last layers that should start at the identity map are
 * scaled by an init scale; a scale of 0 sets the layer to zero without drawing numbers.
 */
public final class WeightInit {
    private WeightInit() {}

    /** A tensor of the given shape, uniform in +-1/sqrt(fanIn), in the init stream's precision and device. */
    public static Tensor uniformFanIn(Rng init, long fanIn, long... shape) {
        double bound = 1.0 / Math.sqrt((double) fanIn);
        return init.uniform(shape).mul(new Scalar(2 * bound)).sub(new Scalar(bound));
    }

    /** Re-initializes a Linear layer in place by the convention above, then multiplies it by {@code scale}. */
    public static void linear(LinearImpl layer, Rng init, double scale) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor w = layer.weight();
            Tensor b = layer.bias();
            if (scale == 0) {
                w.zero_();
                b.zero_();
                return;
            }
            long fanIn = w.size(1);
            w.copy_(uniformFanIn(init, fanIn, Tensors.shape(w)).mul(new Scalar(scale)));
            b.copy_(uniformFanIn(init, fanIn, Tensors.shape(b)).mul(new Scalar(scale)));
        }
    }
}
