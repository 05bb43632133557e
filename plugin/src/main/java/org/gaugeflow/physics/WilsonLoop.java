package org.gaugeflow.physics;

import static org.gaugeflow.tensor.Tensors.dagger;
import static org.gaugeflow.tensor.Tensors.mul;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.tensor.Tensors;

/**
 * Rectangular Wilson loops W(R, T) = (1/N) Re Tr [L_mu^R(x) L_nu^T(x + R mu) L_mu^R(x + T nu)^dag L_nu^T(x)^dag],
 * with the straight line L_mu^R(x) = U_mu(x) U_mu(x+mu) ... U_mu(x+(R-1)mu), averaged over positions x and
 * over both orientations of every plane (R along mu and T along nu, for all mu != nu). W(1, 1) is the
 * plaquette of {@link WilsonAction#averagePlaquette}.
 */
public final class WilsonLoop {
    private WilsonLoop() {}

    /** Straight line of {@code length} links along mu starting at each site, a per-site tensor [B, L.., N, N]. */
    public static Tensor line(GaugeField f, int mu, int length) {
        f.lattice().checkDirection(mu);
        if (length < 1) throw new IllegalArgumentException("line length = " + length + ": expected >= 1");
        Tensor u = f.link(mu);
        Tensor l = u;
        for (int k = 1; k < length; k++) l = mul(l, f.shift(u, mu, k));
        return l;
    }

    /** The loop matrices of the R x T rectangle in the plane (mu, nu) with R along mu, per site. */
    public static Tensor loop(GaugeField f, int mu, int nu, int r, int t) {
        if (mu == nu) throw new IllegalArgumentException("plane (" + mu + ", " + nu + "): expected mu != nu");
        Tensor lmu = line(f, mu, r);
        Tensor lnu = line(f, nu, t);
        return mul(lmu, f.shift(lnu, mu, r), dagger(f.shift(lmu, nu, t)), dagger(lnu));
    }

    /** W(R, T) per configuration, shape [B]: (1/N) Re Tr of the loop averaged over sites and oriented planes. */
    public static Tensor average(GaugeField f, int r, int t) {
        int d = f.lattice().dims();
        if (r < 1 || t < 1) {
            throw new IllegalArgumentException("Wilson loop " + r + "x" + t + ": expected R >= 1 and T >= 1");
        }
        Tensor total = null;
        int count = 0;
        for (int mu = 0; mu < d; mu++) {
            for (int nu = 0; nu < d; nu++) {
                if (mu == nu) continue;
                Tensor s = Tensors.reTrace(loop(f, mu, nu, r, t)).flatten(1, -1).mean(new long[] {1});
                total = total == null ? s : total.add(s);
                count++;
            }
        }
        return total.div(new Scalar((double) count * f.group().n()));
    }
}
