package org.gaugeflow.hmc;

/** The molecular dynamics blew up (non-finite or huge Delta H): a run-time failure, not a usage error. */
public final class HmcInstabilityException extends RuntimeException {
    public HmcInstabilityException(String message) {
        super(message);
    }
}
