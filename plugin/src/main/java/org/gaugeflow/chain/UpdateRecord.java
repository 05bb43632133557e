package org.gaugeflow.chain;

/**
 * What one update did: its number (1-based: the state after {@code update} updates), kind, decision,
 * and the resulting state's log q, log weight -S and observables.
 */
public record UpdateRecord(long update, UpdateKind kind, boolean accepted, double logQ, double logWeight,
        double[] observables) {}
