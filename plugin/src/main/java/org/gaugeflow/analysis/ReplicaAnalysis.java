package org.gaugeflow.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * The analysis of one observable measured on R independent replicas (chains of the same process with different
 * seeds): each replica by the Gamma method alone, all of them combined by Wolff's replica formula
 * ({@link GammaMethod#apply(double[][])}, Wolff 2004 Sec. 3.3), and a consistency check of the replica means:
 * chi^2 = sum_r (abar_r - abar)^2 / sigma_r^2 with R - 1 degrees of freedom and its Q-value (the probability of a
 * chi^2 at least this large if the replicas sample the same distribution; a tiny Q flags a stuck or unthermalized
 * replica). Replicas whose own error is zero (a chain that never moved) make the check undefined (NaN).
 *
 * @param combined the combined estimate, error and tau_int
 * @param replicas per replica, in the order given
 * @param chi2     the consistency chi^2 (NaN with fewer than 2 replicas or a zero replica error)
 * @param dof      R - 1
 * @param q        its Q-value
 */
public record ReplicaAnalysis(GammaResult combined, List<GammaResult> replicas, double chi2, int dof, double q) {

    /** Analyzes the replicas of one observable (each replica >= 2 values). */
    public static ReplicaAnalysis of(double[][] series) {
        GammaResult all = GammaMethod.analyzeReplicas(series);
        List<GammaResult> each = new ArrayList<>();
        for (double[] s : series) each.add(GammaMethod.analyze(s));
        int dof = series.length - 1;
        double chi2 = dof < 1 ? Double.NaN : 0;
        for (GammaResult g : each) {
            if (dof < 1) break;
            if (!(g.error() > 0)) {
                chi2 = Double.NaN;
                break;
            }
            double z = (g.mean() - all.mean()) / g.error();
            chi2 += z * z;
        }
        double q = Double.isNaN(chi2) ? Double.NaN : chiSquaredQ(chi2, dof);
        return new ReplicaAnalysis(all, List.copyOf(each), chi2, dof, q);
    }

    /** Q(chi^2 | dof) = Gamma(dof/2, chi^2/2) / Gamma(dof/2), the regularized upper incomplete gamma function. */
    public static double chiSquaredQ(double chi2, int dof) {
        if (dof < 1 || !(chi2 >= 0)) throw new IllegalArgumentException("chi^2 = " + chi2 + " with " + dof + " dof: expected chi^2 >= 0, dof >= 1");
        return upperGammaRegularized(dof / 2.0, chi2 / 2.0);
    }

    /** Q(a, x) by its series (x < a + 1) or Lentz's continued fraction (otherwise), to ~1e-14. */
    static double upperGammaRegularized(double a, double x) {
        if (x == 0) return 1.0;
        double lnPrefactor = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            double term = 1.0 / a;
            double sum = term;
            for (int n = 1; n < 10_000; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
            }
            return 1.0 - Math.exp(lnPrefactor) * sum;
        }
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(lnPrefactor) * h;
    }

    /** log Gamma(a) for a > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15). */
    static double logGamma(double a) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (a < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
        double x = a - 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) s += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
