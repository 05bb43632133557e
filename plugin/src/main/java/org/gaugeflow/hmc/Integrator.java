package org.gaugeflow.hmc;

import org.gaugeflow.bindings.NativeEngine;

/**
 * Molecular-dynamics integrators of docs/conventions.md ("HMC"), eps = tau / steps:
 * leapfrog (PQP) and Omelyan 2MN (PQPQP) with {@link #OMELYAN_LAMBDA}. Both are second order:
 * |Delta H| of one trajectory falls like eps^2 (2MN with a much smaller coefficient).
 */
public enum Integrator {
    LEAPFROG(NativeEngine.GF_LEAPFROG),
    OMELYAN(NativeEngine.GF_OMELYAN);

    /** Omelyan, Mryglod, Folk (2003) 2MN parameter. */
    public static final double OMELYAN_LAMBDA = 0.1931833275037836;

    private final int nativeCode;

    Integrator(int nativeCode) {
        this.nativeCode = nativeCode;
    }

    /** The code of gaugeflow_engine.h (GF_LEAPFROG, GF_OMELYAN). */
    public int nativeCode() {
        return nativeCode;
    }

    /** Force evaluations of one trajectory with merged kicks. */
    public int forceEvaluations(int steps) {
        return this == LEAPFROG ? steps + 1 : 2 * steps + 1;
    }

    public static Integrator parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase();
        switch (v) {
            case "leapfrog": case "lf": return LEAPFROG;
            case "omelyan": case "2mn": return OMELYAN;
            default: throw new IllegalArgumentException("integrator '" + s + "': expected leapfrog or omelyan");
        }
    }

    @Override public String toString() {
        return name().toLowerCase();
    }
}
