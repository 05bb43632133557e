package org.gaugeflow.analysis;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tail of a model's importance ratios w = p/q over its own samples (Pareto k-hat; Vehtari, Simpson, Gelman, Yao,
 * Gabry, "Pareto smoothed importance sampling", JMLR 25 (2024) 72; Yao et al., "Yes, but did it work?", ICML 2018).
 *
 * <p>The largest M = min(S/5, 3 sqrt S) of S ratios are fitted by a generalized Pareto distribution
 * F(y) = 1 - (1 + k y / sigma)^(-1/k) of their excess y over the next largest ratio. Its shape k says how heavy the
 * tail of w is: w has a finite variance for k < 1/2 and a finite mean only for k < 1. When k-hat exceeds
 * {@link #limit(long)} = min(1 - 1/log10 S, 0.7), S samples do not reach the part of the model's distribution that
 * carries the target's weight: importance-sampling averages are then unreliable, and so is an independence
 * Metropolis chain with these proposals, which cannot find states q hardly ever proposes (docs/chains.md,
 * "Reliability"). The estimate is invariant under a constant factor on w, so log Z does not enter.
 *
 * <p>The fit is Zhang and Stephens' empirical-Bayes estimate (Technometrics 51 (2009) 316): with the excesses sorted,
 * y_1 <= ... <= y_M, the profile likelihood of theta = -k/sigma, L(theta) = M [log(-theta/k(theta)) - k(theta) - 1]
 * with k(theta) = mean log(1 - theta y), is averaged over the grid
 * theta_j = 1/y_M + (1 - sqrt(m/(j - 1/2))) / (3 y_(floor(M/4 + 1/2))), j = 1..m, m = 30 + floor(sqrt M), with
 * weights proportional to exp L(theta_j); k-hat = k(theta-bar), shrunk towards 1/2 by a prior worth 10 observations,
 * (M k + 5) / (M + 10), as in Vehtari et al. (2024), Appendix C.
 *
 * @param k       the shape estimate k-hat (NaN when the tail is flat: the M largest ratios are equal)
 * @param sigma   the scale of the fitted excesses, relative to the largest ratio
 * @param tail    M, the number of ratios in the fitted tail
 * @param samples S, the number of finite ratios used
 */
public record ParetoTail(double k, double sigma, int tail, long samples) {

    /** The fewest samples with which the tail is fitted (M >= 5 then). */
    public static final int MIN_SAMPLES = 100;

    /**
     * The tail of the ratios whose logarithms are {@code logRatios} (any additive constant; non-finite entries are
     * left out). Throws when fewer than {@link #MIN_SAMPLES} are finite.
     */
    public static ParetoTail of(double[] logRatios) {
        double[] lw = Arrays.stream(logRatios).filter(Double::isFinite).sorted().toArray();
        int s = lw.length;
        if (s < MIN_SAMPLES) {
            throw new IllegalArgumentException(s + " finite log ratios: expected at least " + MIN_SAMPLES + " for a tail fit");
        }
        int m = (int) Math.min(0.2 * s, 3 * Math.sqrt(s));
        double max = lw[s - 1];
        double threshold = Math.exp(lw[s - m - 1] - max);
        double[] y = new double[m];
        for (int i = 0; i < m; i++) y[i] = Math.exp(lw[s - m + i] - max) - threshold;
        if (!(y[m - 1] > 0)) return new ParetoTail(Double.NaN, 0, m, s);
        double[] fit = fitGeneralizedPareto(y);
        return new ParetoTail(fit[0], fit[1], m, s);
    }

    /** The largest k-hat with which S samples can be trusted: min(1 - 1/log10 S, 0.7) (Vehtari et al. 2024, Sec. 3.2.4). */
    public static double limit(long samples) {
        return Math.min(1 - 1 / Math.log10(samples), 0.7);
    }

    /** Whether the tail is light enough for this many samples (a flat tail is). */
    public boolean acceptable() {
        return Double.isNaN(k) || k <= limit(samples);
    }

    /** E.g. "Pareto k-hat 1.42 > 0.70 (limit for 9000 samples)". */
    public String describe() {
        if (Double.isNaN(k)) return "Pareto k-hat undefined (the " + tail + " largest ratios are equal)";
        return String.format(Locale.ROOT, "Pareto k-hat %.2f %s %.2f (limit for %d samples)", k,
                acceptable() ? "<=" : ">", limit(samples), samples);
    }

    /** {k, sigma} of a generalized Pareto distribution fitted to sorted positive excesses (Zhang & Stephens 2009). */
    static double[] fitGeneralizedPareto(double[] y) {
        int n = y.length;
        int grid = 30 + (int) Math.sqrt(n);
        double quartile = y[(int) (n / 4.0 + 0.5) - 1];
        double[] theta = new double[grid];
        double[] logL = new double[grid];
        for (int j = 0; j < grid; j++) {
            theta[j] = 1 / y[n - 1] + (1 - Math.sqrt(grid / (j + 0.5))) / (3 * quartile);
            double k = meanLog1m(theta[j], y);
            logL[j] = n * (Math.log(-theta[j] / k) - k - 1);
            if (!Double.isFinite(logL[j])) logL[j] = Double.NEGATIVE_INFINITY; // theta_j = 0: no weight
        }
        double thetaBar = 0;
        double norm = 0;
        for (int j = 0; j < grid; j++) {
            // weight_j = 1 / sum_i exp(L_i - L_j), computed without overflow
            double sum = 0;
            for (int i = 0; i < grid; i++) sum += Math.exp(logL[i] - logL[j]);
            double w = 1 / sum;
            thetaBar += w * theta[j];
            norm += w;
        }
        thetaBar /= norm;
        double k = meanLog1m(thetaBar, y);
        double sigma = -k / thetaBar;
        double prior = 10;
        k = (n * k + prior * 0.5) / (n + prior);
        return new double[] {k, sigma};
    }

    /** mean over y of log(1 - theta y). */
    private static double meanLog1m(double theta, double[] y) {
        double s = 0;
        for (double v : y) s += Math.log1p(-theta * v);
        return s / y.length;
    }
}
