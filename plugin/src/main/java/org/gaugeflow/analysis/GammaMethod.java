package org.gaugeflow.analysis;

/**
 * Error analysis of a Markov-chain time series with the Gamma method of U. Wolff, "Monte Carlo errors
 * with less errors", Comput. Phys. Commun. 156 (2004) 143, hep-lat/0306017, for a primary observable:
 *
 * <pre>
 *   Gamma(t)  = 1/(N-t) sum_{i=1}^{N-t} (a_i - abar)(a_{i+t} - abar)            (Eq. (31))
 *   C_F(W)    = Gamma(0) + 2 sum_{t=1}^{W} Gamma(t),  tau_int(W) = C_F(W) / (2 Gamma(0))
 *   tau(W)    = S / ln((2 tau_int(W) + 1) / (2 tau_int(W) - 1))   (tau(W) = tiny if tau_int <= 1/2)
 *   g(W)      = exp(-W / tau(W)) - tau(W) / sqrt(W N);  W = the first W with g(W) < 0   (Eq. (52))
 * </pre>
 *
 * then the bias correction Gamma(t) += C_F(W)/N (Eq. (49)), sigma^2 = C_F(W)/N,
 * and the errors of the error and of tau_int (Eqs. (42), (43)). S = 1.5 by default.
 *
 * <p>Replicas (Wolff Sec. 3.3): R independent chains of lengths N_r of the same process, N = sum N_r, are combined
 * with the mean abar = sum_r N_r abar_r / N and
 * Gamma(t) = 1/(N - R t) sum_r sum_{i=1}^{N_r - t} (a^r_i - abar)(a^r_{i+t} - abar); the window, the bias correction
 * and the errors follow as above with this N. A single series is the case R = 1.
 */
public final class GammaMethod {

    /** Wolff's recommended S. */
    public static final double DEFAULT_S = 1.5;

    private final double s;

    public GammaMethod() {
        this(DEFAULT_S);
    }

    public GammaMethod(double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("S = " + s + ": expected a finite number > 0");
        }
        this.s = s;
    }

    /** Analysis with the default S = 1.5. */
    public static GammaResult analyze(double[] series) {
        return new GammaMethod().apply(series);
    }

    /** Replicas (Wolff Sec. 3.3) with the default S = 1.5. */
    public static GammaResult analyzeReplicas(double[][] replicas) {
        return new GammaMethod().apply(replicas);
    }

    public GammaResult apply(double[] a) {
        if (a == null) throw new IllegalArgumentException("series null: expected >= 2 values");
        return apply(new double[][] {a});
    }

    /** The combined analysis of replicas of one observable (each replica >= 2 values). */
    public GammaResult apply(double[][] replicas) {
        if (replicas == null || replicas.length == 0) throw new IllegalArgumentException("no replicas: expected at least one series");
        int r = replicas.length;
        int n = 0;
        int shortest = Integer.MAX_VALUE;
        double mean = 0;
        for (int k = 0; k < r; k++) {
            double[] a = replicas[k];
            if (a == null || a.length < 2) {
                throw new IllegalArgumentException((r > 1 ? "replica " + k + ": " : "") + "series of length "
                        + (a == null ? 0 : a.length) + ": expected >= 2 values");
            }
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException((r > 1 ? "replica " + k + ": " : "") + "series holds a non-finite value " + v);
                }
                mean += v;
            }
            n += a.length;
            shortest = Math.min(shortest, a.length);
        }
        mean /= n;
        double[][] d = new double[r][];
        for (int k = 0; k < r; k++) {
            d[k] = new double[replicas[k].length];
            for (int i = 0; i < d[k].length; i++) d[k][i] = replicas[k][i] - mean;
        }
        double gamma0 = gamma(d, 0);
        if (gamma0 == 0.0) {
            return new GammaResult(mean, 0.0, 0.0, 0.5, 0.0, 0, n);
        }
        int maxW = shortest / 2;
        double[] gammas = new double[maxW + 1];
        gammas[0] = gamma0;
        double cf = gamma0;
        int window = maxW;
        for (int w = 1; w <= maxW; w++) {
            gammas[w] = gamma(d, w);
            cf += 2 * gammas[w];
            double tauIntW = cf / (2 * gamma0);
            double tau = tauIntW <= 0.5 ? Double.MIN_NORMAL : s / Math.log((2 * tauIntW + 1) / (2 * tauIntW - 1));
            double g = Math.exp(-w / tau) - tau / Math.sqrt((double) w * n);
            if (g < 0) {
                window = w;
                break;
            }
        }
        // bias correction of Gamma(t) (Eq. (49)) and C_F at the window
        double cfw = gammas[0];
        for (int t = 1; t <= window; t++) {
            cfw += 2 * gammas[t];
        }
        double shift = cfw / n;
        double g0 = gammas[0] + shift;
        double cfCorrected = g0;
        for (int t = 1; t <= window; t++) {
            cfCorrected += 2 * (gammas[t] + shift);
        }
        if (cfCorrected <= 0) {
            // anticorrelated beyond resolution: fall back to the naive variance
            cfCorrected = g0;
        }
        double variance = cfCorrected / n;
        double error = Math.sqrt(variance);
        double tauInt = cfCorrected / (2 * g0);
        double tauIntError = 2 * tauInt * Math.sqrt(Math.max(0.0, window + 0.5 - tauInt) / n);
        double errorOfError = error * Math.sqrt((window + 0.5) / n);
        return new GammaResult(mean, error, errorOfError, tauInt, tauIntError, window, n);
    }

    /** Gamma(t) over all replicas: the sum of products at lag t divided by the number of pairs, N - R t. */
    private static double gamma(double[][] d, int t) {
        double sum = 0;
        long pairs = 0;
        for (double[] x : d) {
            int n = x.length;
            for (int i = 0; i + t < n; i++) sum += x[i] * x[i + t];
            pairs += Math.max(0, n - t);
        }
        return sum / pairs;
    }
}
