package org.gaugeflow.physics;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.U1;

/**
 * The integer topological charge of 2D U(1): Q = (1/2 pi) sum_x arg P_01(x), arg in (-pi, pi].
 * Exactly an integer for every configuration, since sum_x theta_P(x) = 0 mod 2 pi on a torus.
 */
public final class TopologicalCharge {
    private TopologicalCharge() {}

    /** Q per configuration, shape [B] (real, integer-valued up to rounding). */
    public static Tensor u1TwoDimensional(GaugeField f) {
        if (!(f.group() instanceof U1) || f.lattice().dims() != 2) {
            throw new IllegalArgumentException("topological charge for " + f.group() + " in d = " + f.lattice().dims()
                    + ": expected U(1) in d = 2");
        }
        Tensor phi = U1.angle(Loops.plaquette(f, 0, 1));
        return phi.flatten(1, -1).sum(1).div(new Scalar(2 * Math.PI));
    }
}
