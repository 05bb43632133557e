package org.gaugeflow.training;

/**
 * How the gradient of the reverse KL (Eq. (3)) is estimated.
 * <ul>
 *   <li>{@code REPARAMETERIZED}: differentiate mean[log q(U) + S(U)] with U = f(z) through both the
 *       sample path and the parameters of log q.
 *   <li>{@code PATH}: the path gradient (Roeder et al. 2017; Vaitl et al. 2022): only the dependence through
 *       the sample U = f(z) is differentiated, with the score term (zero in expectation) dropped; lower
 *       variance near convergence (it vanishes when q = p).
 * </ul>
 */
public enum GradientEstimator {
    REPARAMETERIZED, PATH;

    public static GradientEstimator parse(String s) {
        switch (s == null ? "" : s.trim().toLowerCase()) {
            case "reparameterized": case "reparam": case "rep": return REPARAMETERIZED;
            case "path": case "path-gradient": case "pathgradient": return PATH;
            default: throw new IllegalArgumentException("training.estimator '" + s + "': expected reparameterized or path");
        }
    }

    public String label() { return this == PATH ? "path" : "reparameterized"; }
}
