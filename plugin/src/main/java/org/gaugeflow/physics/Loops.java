package org.gaugeflow.physics;

import static org.gaugeflow.tensor.Tensors.dagger;
import static org.gaugeflow.tensor.Tensors.mul;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;

/**
 * Closed loops and staples on a gauge field (docs/conventions.md). All results are per-site tensors
 * [B, L_{d-1}, ..., L_0, N, N].
 */
public final class Loops {
    private Loops() {}

    /** P_munu(x) = U_mu(x) U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag. */
    public static Tensor plaquette(GaugeField f, int mu, int nu) {
        checkPlane(f, mu, nu);
        Tensor umu = f.link(mu);
        Tensor unu = f.link(nu);
        return mul(umu, f.shift(unu, mu, 1), dagger(f.shift(umu, nu, 1)), dagger(unu));
    }

    /**
     * S_A of Eq. (7) for the link U_nu(y) in the plane (mu, nu): the staple on the -mu side,
     * S_A(y) = U_mu(y-mu+nu)^dag U_nu(y-mu)^dag U_mu(y-mu), so that Re Tr[U_nu(y) S_A(y)] is the plaquette
     * P_munu(y - mu).
     */
    public static Tensor stapleA(GaugeField f, int nu, int mu) {
        checkPlane(f, mu, nu);
        Tensor umuBack = f.shift(f.link(mu), mu, -1);           // U_mu(y - mu)
        Tensor unuBack = f.shift(f.link(nu), mu, -1);           // U_nu(y - mu)
        return mul(dagger(f.shift(umuBack, nu, 1)), dagger(unuBack), umuBack);
    }

    /**
     * S_B of Eq. (8) for the link U_nu(y) in the plane (mu, nu): the staple on the +mu side,
     * S_B(y) = U_mu(y+nu) U_nu(y+mu)^dag U_mu(y)^dag, so that Re Tr[U_nu(y) S_B(y)] is the plaquette
     * P_numu(y) = P_munu(y)^dag in trace.
     */
    public static Tensor stapleB(GaugeField f, int nu, int mu) {
        checkPlane(f, mu, nu);
        Tensor umu = f.link(mu);
        return mul(f.shift(umu, nu, 1), dagger(f.shift(f.link(nu), mu, 1)), dagger(umu));
    }

    /**
     * Staple sum A_mu(x) = sum_{nu != mu} [S_B + S_A] for the link U_mu(x): Re Tr[U_mu(x) A_mu(x)] is the sum
     * of the 2(d-1) plaquettes containing U_mu(x).
     */
    public static Tensor stapleSum(GaugeField f, int mu) {
        f.lattice().checkDirection(mu);
        Tensor sum = null;
        for (int nu = 0; nu < f.lattice().dims(); nu++) {
            if (nu == mu) continue;
            Tensor s = stapleA(f, mu, nu).add(stapleB(f, mu, nu));
            sum = sum == null ? s : sum.add(s);
        }
        return sum;
    }

    private static void checkPlane(GaugeField f, int mu, int nu) {
        f.lattice().checkDirection(mu);
        f.lattice().checkDirection(nu);
        if (mu == nu) throw new IllegalArgumentException("plane (" + mu + ", " + nu + "): expected mu != nu");
    }
}
