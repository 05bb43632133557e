package org.gaugeflow.physics;

/**
 * The effective coupling of a block of plaquettes in 2D U(1) Wilson gauge theory. The plaquette angles of the target
 * are independent von Mises variables at beta (up to the global constraint of the torus), so the angle of a plaquette
 * of a coarser lattice made of n target plaquettes is their sum, whose first Fourier coefficient is
 * (I_1/I_0(beta))^n. The block coupling beta_n is the von Mises coupling with the same first coefficient:
 * I_1/I_0(beta_n) = (I_1/I_0(beta))^n (n = 1: beta; weak coupling: beta / n + O(1)). It is where the multiscale
 * model's heatbath priors start ({@code beta_tilde: auto}) and the coupling of its coarse Wilson prior
 * ({@code coarse_beta: auto}); docs/multiscale.md, "Starting values".
 */
public final class BlockCoupling {
    private BlockCoupling() {}

    /** I_1(x) / I_0(x), x >= 0. */
    public static double besselRatio(double x) {
        return x == 0 ? 0 : Math.exp(ExactU1TwoD.logBesselI(1, x) - ExactU1TwoD.logBesselI(0, x));
    }

    /** beta_n for a block of n >= 1 plaquettes at coupling beta in [0, 200], by bisection (I_1/I_0 increases). */
    public static double of(double beta, long n) {
        if (!(beta >= 0) || beta > 200) throw new IllegalArgumentException("beta = " + beta + ": expected a coupling in [0, 200]");
        if (n < 1) throw new IllegalArgumentException("block of " + n + " plaquettes: expected n >= 1");
        if (n == 1 || beta == 0) return beta;
        double target = Math.pow(besselRatio(beta), n);
        double lo = 0;
        double hi = beta;
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (besselRatio(mid) < target) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
