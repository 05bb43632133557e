package org.gaugeflow.hmc;

/**
 * Outcome of one HMC trajectory of one chain.
 *
 * @param deltaH    H(end) - H(start), H = (1/2) sum pi^2 + S (docs/conventions.md)
 * @param accepted  the Metropolis decision, probability min(1, exp(-deltaH))
 * @param plaquette plaquette of the chain's field after accept/reject
 */
public record Trajectory(double deltaH, boolean accepted, double plaquette) {
}
