package org.gaugeflow.bindings;

/**
 * Outcome of one native HMC trajectory (slots GF_RES_* of gaugeflow_engine.h).
 *
 * @param deltaH    H(end) - H(start), H = K + S (docs/conventions.md, HMC)
 * @param accepted  Metropolis decision with probability min(1, exp(-deltaH))
 * @param plaquette plaquette of the field after accept/reject
 * @param h0        H at the start
 * @param h1        H at the end of the molecular dynamics
 * @param uniform   the uniform number the Metropolis step used
 */
public record NativeTrajectory(double deltaH, boolean accepted, double plaquette, double h0, double h1, double uniform) {

    static NativeTrajectory of(double[] r) {
        return new NativeTrajectory(r[NativeEngine.GF_RES_DH], r[NativeEngine.GF_RES_ACCEPTED] != 0.0,
                r[NativeEngine.GF_RES_PLAQUETTE], r[NativeEngine.GF_RES_H0], r[NativeEngine.GF_RES_H1],
                r[NativeEngine.GF_RES_UNIFORM]);
    }
}
