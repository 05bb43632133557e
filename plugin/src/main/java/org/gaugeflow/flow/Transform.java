package org.gaugeflow.flow;

import org.bytedeco.pytorch.Tensor;

/**
 * A bijection with tractable Jacobian (nflows/distrax style). {@code forward(x)} returns y = f(x) and
 * log|det df/dx|; {@code inverse(y)} returns x = f^{-1}(y) and log|det df^{-1}/dy| (= minus the forward
 * log-determinant at that x). The optional {@code context} (may be null) conditions the map, e.g. on
 * staples; it must be gauge covariant in the way the implementing class documents.
 *
 * <p>Densities are with respect to Haar measure normalized to 1 on each link (docs/conventions.md); for U(1)
 * angles that is d(theta)/(2 pi), so Jacobians of angle maps are plain derivatives.
 *
 * <p>Trainable transforms extend {@code org.bytedeco.pytorch.Module} and register their parameters
 * and sub-modules, so that an optimizer and checkpoints see all of them.
 */
public interface Transform {

    Transformed forward(Tensor x, Tensor context);

    Transformed inverse(Tensor y, Tensor context);

    default Transformed forward(Tensor x) { return forward(x, null); }

    default Transformed inverse(Tensor y) { return inverse(y, null); }
}
