package org.gaugeflow.physics;

/**
 * Exact results of 2D U(1) Wilson gauge theory on a periodic torus with V plaquettes (docs/reference-values.md).
 * The plaquette angles are independent up to sum_P phi_P = 2 pi Q, so in the character expansion Z = sum_n I_n(beta)^V and a loop enclosing A plaquettes has
 * <W> = sum_n I_n^(V-A) (I_(n-1)^A + I_(n+1)^A) / 2 / Z. The topological susceptibility comes from
 * the theta-deformed Z(s) = sum_n b_n(s)^V with b_n(s) = (1/2 pi) int e^(beta cos phi) cos((n+s) phi) dphi:
 * <Q^2> = -Z''(0) / ((2 pi)^2 Z(0)). log Z itself turns the training loss into an exact KL.
 *
 * <p>All sums are over ratios to the n = 0 term, so large volumes neither overflow nor underflow.
 */
public final class ExactU1TwoD {
    private static final int QUADRATURE_INTERVALS = 1 << 16;
    private final double beta;
    private final long volume;
    private final int nMax;
    private final double[] besselRatio; // I_n(beta) / I_0(beta), n = 0..nMax+1

    /**
     * @param beta   the coupling, >= 0
     * @param volume the number of plaquettes V = L0 * L1, >= 1
     */
    public ExactU1TwoD(double beta, long volume) {
        if (!(beta >= 0) || Double.isInfinite(beta) || beta > 200) {
            throw new IllegalArgumentException("beta = " + beta + ": expected a finite number in [0, 200]");
        }
        if (volume < 1) throw new IllegalArgumentException("volume = " + volume + ": expected >= 1");
        this.beta = beta;
        this.volume = volume;
        // I_n(beta) falls off like (beta/2)^n / n!; beyond nMax every term is below 1e-300 of I_0
        int n = 1;
        while (n < 2000 && logBesselI(n, beta) - logBesselI(0, beta) > -700) n++;
        this.nMax = n;
        besselRatio = new double[nMax + 2];
        double log0 = logBesselI(0, beta);
        for (int k = 0; k <= nMax + 1; k++) besselRatio[k] = Math.exp(logBesselI(k, beta) - log0);
    }

    public double beta() { return beta; }

    public long volume() { return volume; }

    /** log I_n(x) for integer n >= 0 and x >= 0, by the power series sum_k (x/2)^(2k+n) / (k! (k+n)!). */
    public static double logBesselI(int n, double x) {
        if (n < 0) n = -n;
        if (x == 0) return n == 0 ? 0.0 : Double.NEGATIVE_INFINITY;
        double logHalf = Math.log(x / 2);
        // terms t_k = exp(a_k); a_{k+1} = a_k + 2 log(x/2) - log(k+1) - log(k+1+n); sum relative to the largest
        double a0 = n * logHalf - logFactorial(n);
        double maxLog = a0;
        double a = a0;
        int kMax = (int) Math.ceil(x) + 60;
        double[] logs = new double[kMax + 1];
        for (int k = 0; k <= kMax; k++) {
            logs[k] = a;
            if (a > maxLog) maxLog = a;
            a += 2 * logHalf - Math.log(k + 1.0) - Math.log(k + 1.0 + n);
        }
        double s = 0;
        for (int k = 0; k <= kMax; k++) s += Math.exp(logs[k] - maxLog);
        return maxLog + Math.log(s);
    }

    private static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.log(i);
        return s;
    }

    /** I_|n|(beta) / I_0(beta); zero beyond the point where it is negligible. */
    private double ratio(int n) {
        int m = Math.abs(n);
        return m < besselRatio.length ? besselRatio[m] : 0.0;
    }

    /** Z / I_0^V = sum_n (I_n / I_0)^V. */
    private double partitionRatio() {
        double z = 0;
        for (int n = -nMax; n <= nMax; n++) z += Math.pow(ratio(n), volume);
        return z;
    }

    /**
     * log Z with respect to the normalized Haar measure on every link, Z = sum_n I_n(beta)^V: turns a
     * reverse-KL training loss into an exact KL and checks log Z estimates.
     */
    public double logZ() { return volume * logBesselI(0, beta) + Math.log(partitionRatio()); }

    /** log Z for the given beta and number of plaquettes V (see {@link #logZ()}). */
    public static double logZ(double beta, long volume) { return new ExactU1TwoD(beta, volume).logZ(); }

    /** <cos phi_P> = <Re P>, the average plaquette. */
    public double plaquette() { return wilsonLoop(1); }

    /**
     * <W> of a contractible loop enclosing {@code area} plaquettes (an R x T rectangle has area R T):
     * sum_n I_n^(V-A) (I_(n-1)^A + I_(n+1)^A) / 2 / Z.
     */
    public double wilsonLoop(long area) {
        if (area < 0 || area > volume) {
            throw new IllegalArgumentException("loop area = " + area + ": expected 0 <= area <= V = " + volume);
        }
        double num = 0;
        for (int n = -nMax; n <= nMax; n++) {
            double rest = Math.pow(ratio(n), volume - area);
            num += rest * (Math.pow(ratio(n - 1), area) + Math.pow(ratio(n + 1), area)) / 2;
        }
        return num / partitionRatio();
    }

    /** <Q^2> = -Z''(0) / ((2 pi)^2 Z(0)), with b_n(s) and its s-derivatives by quadrature. */
    public double topologicalChargeSquared() {
        double[] b0 = thetaCoefficients(0);
        double norm = b0[0];
        double z = 0;
        double zpp = 0;
        // terms carry c_n^(V-2) ~ (I_n / I_0)^(V-2): stop where that is below 1e-320
        int nTop = nMax;
        if (volume > 2) {
            nTop = 1;
            while (nTop < nMax && (volume - 2) * Math.log(ratio(nTop)) > -740) nTop++;
        }
        for (int n = -nTop; n <= nTop; n++) {
            double[] b = thetaCoefficients(n);
            double c = b[0] / norm;
            double c1 = b[1] / norm;
            double c2 = b[2] / norm;
            if (c == 0) continue;
            z += Math.pow(c, volume);
            // d^2/ds^2 c^V = V c^(V-1) c'' + V (V-1) c^(V-2) c'^2
            zpp += volume * Math.pow(c, volume - 1) * c2
                    + (volume > 1 ? (double) volume * (volume - 1) * Math.pow(c, volume - 2) * c1 * c1 : 0.0);
        }
        return -zpp / ((2 * Math.PI) * (2 * Math.PI) * z);
    }

    /** <Q^2> / V: the topological susceptibility in lattice units. */
    public double topologicalSusceptibility() { return topologicalChargeSquared() / volume; }

    /**
     * {b_n(0), b_n'(0), b_n''(0)} scaled by e^(-beta): (1/2pi) int e^(beta (cos phi - 1)) {cos n phi,
     * -phi sin n phi, -phi^2 cos n phi} dphi over (-pi, pi), by composite Simpson (the integrands are even).
     */
    private double[] thetaCoefficients(int n) {
        int m = QUADRATURE_INTERVALS;
        double h = Math.PI / m;
        double s0 = 0, s1 = 0, s2 = 0;
        for (int i = 0; i <= m; i++) {
            double phi = i * h;
            double w = (i == 0 || i == m) ? 1 : (i % 2 == 1 ? 4 : 2);
            double e = Math.exp(beta * (Math.cos(phi) - 1));
            double c = Math.cos(n * phi);
            s0 += w * e * c;
            s1 += w * e * (-phi * Math.sin(n * phi));
            s2 += w * e * (-phi * phi * c);
        }
        double f = h / 3 / Math.PI; // 2 * (1 / 2pi) * (h/3) for the even integrand on (0, pi)
        return new double[] {s0 * f, s1 * f, s2 * f};
    }
}
