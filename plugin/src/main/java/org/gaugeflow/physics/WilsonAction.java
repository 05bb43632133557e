package org.gaugeflow.physics;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.tensor.Tensors;

/**
 * The Wilson gauge action S = -(beta/N) sum_x sum_{mu<nu} Re Tr P_munu(x) (for U(1): -beta sum cos theta_P),
 * and the plaquette observable <(1/N) Re Tr P> averaged over sites and planes.
 */
public final class WilsonAction {
    private final double beta;

    public WilsonAction(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta = " + beta + ": expected a finite number >= 0");
        }
        this.beta = beta;
    }

    public double beta() { return beta; }

    /** S per configuration, shape [B]. */
    public Tensor action(GaugeField f) {
        return sumReTracePlaquettes(f).mul(new Scalar(-beta / f.group().n()));
    }

    /** log p(U) + log Z = -S(U): the unnormalized target log-density per configuration, shape [B]. */
    public Tensor logWeight(GaugeField f) { return action(f).neg(); }

    /** Average plaquette (1/N) Re Tr P over sites and planes, per configuration, shape [B]. */
    public static Tensor averagePlaquette(GaugeField f) {
        double norm = (double) f.group().n() * f.lattice().volume() * f.lattice().planes();
        return sumReTracePlaquettes(f).div(new Scalar(norm));
    }

    /** sum_x sum_{mu<nu} Re Tr P_munu(x) per configuration, shape [B]. */
    public static Tensor sumReTracePlaquettes(GaugeField f) {
        int d = f.lattice().dims();
        Tensor total = null;
        for (int mu = 0; mu < d; mu++) {
            for (int nu = mu + 1; nu < d; nu++) {
                Tensor s = Tensors.reTrace(Loops.plaquette(f, mu, nu)).flatten(1, -1).sum(1);
                total = total == null ? s : total.add(s);
            }
        }
        return total;
    }
}
