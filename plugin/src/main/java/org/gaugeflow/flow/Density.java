package org.gaugeflow.flow;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.tensor.Rng;

/**
 * A normalized probability density that can be sampled: {@code sample(n)} returns n samples with
 * their log q; {@code logProb(x)} evaluates log q for any given x (not only the model's own samples).
 * The optional {@code context} (may be null) conditions the density.
 */
public interface Density {

    Sample sample(long n, Rng rng, Tensor context);

    Tensor logProb(Tensor x, Tensor context);

    default Sample sample(long n, Rng rng) { return sample(n, rng, null); }

    default Tensor logProb(Tensor x) { return logProb(x, null); }
}
