package org.gaugeflow.physics;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.U1;

/**
 * Topological charges of U(1) gauge fields.
 * <ul>
 *   <li>2D: the integer charge Q = (1/2 pi) sum_x arg P_01(x), arg in (-pi, pi]. Exactly an integer for every
 *   configuration, since sum_x theta_P(x) = 0 mod 2 pi on a torus.</li>
 *   <li>4D: the clover charge ({@link #u1Clover}), the lattice version of Q = (1/32 pi^2) int eps_{mu nu rho sigma}
 *   F_{mu nu} F_{rho sigma} = (1/4 pi^2) int (F_01 F_23 - F_02 F_13 + F_03 F_12), with eps_{0123} = +1 and F_{mu nu}(x)
 *   the clover average of the angles of the four plaquettes P_{mu nu} with a corner at x. For a constant field with
 *   n_{mu nu} flux quanta through the (mu, nu) planes of the torus (every plaquette angle 2 pi n_{mu nu} / (L_mu L_nu))
 *   it is exactly the integer n_01 n_23 - n_02 n_13 + n_03 n_12 (test: {@code TopologicalChargeTest}); for rough
 *   fields it is a real number, not an integer.</li>
 * </ul>
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

    /**
     * The clover charge of 4D U(1), Q = (1/4 pi^2) sum_x [F_01 F_23 - F_02 F_13 + F_03 F_12](x) with
     * F_{mu nu}(x) = (1/4) [theta_{mu nu}(x) + theta_{mu nu}(x - mu) + theta_{mu nu}(x - nu) + theta_{mu nu}(x - mu - nu)],
     * theta_{mu nu}(y) = arg P_{mu nu}(y) in (-pi, pi] ({@link Loops#plaquette}); per configuration, shape [B] (real).
     */
    public static Tensor u1Clover(GaugeField f) {
        if (!(f.group() instanceof U1) || f.lattice().dims() != 4) {
            throw new IllegalArgumentException("clover topological charge for " + f.group() + " in d = " + f.lattice().dims()
                    + ": expected U(1) in d = 4");
        }
        Tensor q = clover(f, 0, 1).mul(clover(f, 2, 3))
                .sub(clover(f, 0, 2).mul(clover(f, 1, 3)))
                .add(clover(f, 0, 3).mul(clover(f, 1, 2)));
        return q.flatten(1, -1).sum(1).div(new Scalar(4 * Math.PI * Math.PI));
    }

    /** F_{mu nu}(x): the mean angle of the four (mu, nu) plaquettes with a corner at x, per site [B, L_3, ..., L_0]. */
    private static Tensor clover(GaugeField f, int mu, int nu) {
        Tensor theta = U1.angle(Loops.plaquette(f, mu, nu));
        Tensor back = f.shift(theta, mu, -1);
        return theta.add(back).add(f.shift(theta, nu, -1)).add(f.shift(back, nu, -1)).div(new Scalar(4));
    }
}
