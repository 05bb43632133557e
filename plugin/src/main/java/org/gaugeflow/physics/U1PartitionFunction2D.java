package org.gaugeflow.physics;

/**
 * The exact partition function of 2D U(1) Wilson theory on a periodic L0 x L1 torus (DESIGN.md,
 * "Exact references"): with respect to the normalized Haar measure on every link,
 * Z = sum_{n in Z} I_n(beta)^V, V = L0 L1 plaquettes. Used to turn the training loss into an exact KL.
 */
public final class U1PartitionFunction2D {
    private U1PartitionFunction2D() {}

    /** log Z for the given beta and number of plaquettes V. */
    public static double logZ(double beta, long volume) {
        if (!(beta >= 0)) throw new IllegalArgumentException("beta = " + beta + ": expected >= 0");
        if (volume < 1) throw new IllegalArgumentException("volume = " + volume + ": expected >= 1");
        // log sum_n (e^{-beta} I_n)^V + V beta, with e^{-beta} I_n by the periodic trapezoid rule
        double[] logTerms = new double[401];
        int count = 0;
        for (int n = 0; n <= 200; n++) {
            double i = scaledBesselI(n, beta);
            if (!(i > 1e-300)) break;
            double t = volume * Math.log(i);
            logTerms[count++] = t;
            if (n > 0) logTerms[count++] = t; // I_{-n} = I_n
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < count; k++) max = Math.max(max, logTerms[k]);
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.exp(logTerms[k] - max);
        return volume * beta + max + Math.log(sum);
    }

    /** e^{-beta} I_n(beta) = (1/pi) int_0^pi e^{beta (cos t - 1)} cos(n t) dt (spectrally exact trapezoid rule). */
    static double scaledBesselI(int n, double beta) {
        int m = 4096;
        double sum = 0;
        for (int j = 0; j <= m; j++) {
            double t = Math.PI * j / m;
            double w = (j == 0 || j == m) ? 0.5 : 1.0;
            sum += w * Math.exp(beta * (Math.cos(t) - 1)) * Math.cos(n * t);
        }
        return sum / m;
    }
}
