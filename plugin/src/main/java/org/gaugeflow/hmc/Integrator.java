package org.gaugeflow.hmc;

import org.gaugeflow.bindings.NativeEngine;

/**
 * Molecular-dynamics integrators of docs/conventions.md ("HMC"), eps = tau / steps:
 * leapfrog (PQP) and Omelyan 2MN (PQPQP) with {@link #OMELYAN_LAMBDA}. Both are second order:
 * |Delta H| of one trajectory falls like eps^2 (2MN with a much smaller coefficient).
 * {@link #FORCE_GRADIENT} is Grid's force-gradient integrator (docs/grid.md), run only by the {@code grid} engine.
 */
public enum Integrator {
    /** Leapfrog, PQP. */
    LEAPFROG(NativeEngine.GF_LEAPFROG),
    /** Omelyan 2MN, PQPQP with {@link #OMELYAN_LAMBDA}. */
    OMELYAN(NativeEngine.GF_OMELYAN),
    /** Grid's ForceGradient (lambda = 1/6, chi = 1/72: a force-gradient kick in the middle); the grid engine only. */
    FORCE_GRADIENT(-1);

    /** Omelyan, Mryglod, Folk (2003) 2MN parameter. */
    public static final double OMELYAN_LAMBDA = 0.1931833275037836;

    private final int nativeCode;

    Integrator(int nativeCode) {
        this.nativeCode = nativeCode;
    }

    /** The code of gaugeflow_engine.h (GF_LEAPFROG, GF_OMELYAN); force-gradient has none (one-line error). */
    public int nativeCode() {
        if (nativeCode < 0) {
            throw new IllegalArgumentException("integrator " + this + " is only available with --engine grid (Grid's ForceGradient)");
        }
        return nativeCode;
    }

    /** Force evaluations of one trajectory with merged kicks (force-gradient: two per middle kick). */
    public int forceEvaluations(int steps) {
        return switch (this) {
            case LEAPFROG -> steps + 1;
            case OMELYAN -> 2 * steps + 1;
            case FORCE_GRADIENT -> 3 * steps + 1;
        };
    }

    public static Integrator parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase();
        switch (v) {
            case "leapfrog": case "lf": return LEAPFROG;
            case "omelyan": case "2mn": return OMELYAN;
            case "force-gradient": case "forcegradient": case "fg": return FORCE_GRADIENT;
            default: throw new IllegalArgumentException("integrator '" + s + "': expected leapfrog or omelyan (or force-gradient with --engine grid)");
        }
    }

    @Override public String toString() {
        return name().toLowerCase().replace('_', '-');
    }
}
