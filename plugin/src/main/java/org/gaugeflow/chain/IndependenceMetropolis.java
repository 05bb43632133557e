package org.gaugeflow.chain;

/**
 * Independence Metropolis with flow proposals U' ~ q: accept with probability
 * min(1, p(U') q(U) / (p(U) q(U'))), in log space
 * log A = [log p(U') - log q(U')] - [log p(U) - log q(U)], with log p = -S up to the constant log Z.
 * Proposals come in order from a {@link ProposalStream}.
 */
public final class IndependenceMetropolis {
    private final ProposalStream proposals;
    private double lastLogRatio = Double.NaN;

    public IndependenceMetropolis(ProposalStream proposals) { this.proposals = proposals; }

    public ProposalStream proposals() { return proposals; }

    /** log p/q = -S(U') - log q(U') of the last proposal (NaN before the first), accepted or not. */
    public double lastLogRatio() { return lastLogRatio; }

    /** One update of the state; returns whether the proposal was accepted. */
    public boolean step(ChainState state) {
        ProposalStream.Proposal p = proposals.next();
        lastLogRatio = p.logWeight() - p.logQ();
        double logA = (p.logWeight() - p.logQ()) - (state.logWeight - state.logQ);
        boolean accept = Double.isFinite(p.logWeight() - p.logQ()) && (logA >= 0 || Math.log(p.uniform()) < logA);
        if (accept) {
            state.field().links().copy_(p.links());
            state.logQ = p.logQ();
            state.logWeight = p.logWeight();
            state.observables = p.observables().clone();
        }
        state.count(UpdateKind.FLOW, accept);
        return accept;
    }
}
