package org.gaugeflow.chain;

/**
 * What one update did: its number (1-based: the state after {@code update} updates), kind, decision,
 * the resulting state's log q, log weight -S and observables, and for a flow update the proposal's own
 * log importance ratio -S(U') - log q(U') (NaN for an HMC update), whatever the decision.
 */
public record UpdateRecord(long update, UpdateKind kind, boolean accepted, double logQ, double logWeight,
        double proposalLogRatio, double[] observables) {}
