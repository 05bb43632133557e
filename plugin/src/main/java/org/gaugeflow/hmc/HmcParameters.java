package org.gaugeflow.hmc;

/**
 * Parameters of one HMC trajectory: Wilson action coupling beta, trajectory length tau, number of MD
 * steps (eps = tau / steps) and the integrator.
 */
public record HmcParameters(double beta, double tau, int steps, Integrator integrator) {

    public HmcParameters {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta = " + beta + ": expected a finite number >= 0");
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau = " + tau + ": expected a finite number > 0");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + ": expected >= 1");
        }
        if (integrator == null) {
            throw new IllegalArgumentException("integrator missing: expected leapfrog or omelyan");
        }
    }

    public double stepSize() {
        return tau / steps;
    }
}
