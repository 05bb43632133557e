package org.gaugeflow.multiscale;

import java.util.Locale;

/**
 * How a doubling layer samples U_B in U_mu = U_A U_B (Eq. (5); Sec. 4, "second complication").
 *
 * <ul>
 *   <li>{@code HAAR}: U_B Haar, log q(U_B) = 0 (Eq. (10)).</li>
 *   <li>{@code CONDITIONAL}: inside a slice model, the endpoints of U_B are already joined by paths through the
 *       enclosing fields (its out-of-slice staples); U_B comes from a staple-conditional model given them.</li>
 *   <li>{@code CHECKERBOARD}: as CONDITIONAL on the even sites of a checkerboard (in the directions other than mu),
 *       then the odd sites with, in addition, the staples that run through the neighbouring, already sampled U_B.</li>
 * </ul>
 * In a top-level layer (no enclosing field) the midpoint of U_mu touches no other link before U_perp is drawn, so no
 * path joins the endpoints of U_B and any gauge-invariant U_B is Haar: the layer uses HAAR whatever the mode.
 */
public enum UBMode {
    HAAR, CONDITIONAL, CHECKERBOARD;

    /** "haar", "conditional", "checkerboard" (case-insensitive). */
    public static UBMode parse(String s) {
        String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (UBMode m : values()) if (m.name().toLowerCase(Locale.ROOT).equals(t)) return m;
        throw new IllegalArgumentException("u_b '" + s + "': expected haar, conditional or checkerboard");
    }

    /** The YAML spelling. */
    public String key() { return name().toLowerCase(Locale.ROOT); }
}
