package org.gaugeflow.chain;

import org.gaugeflow.field.GaugeField;

/**
 * The state of a Markov chain: the current configuration (a retained batch of one, owned by the state),
 * its log q under the model (NaN when the chain has no model), its log weight -S, its observables, the
 * number of updates done and the acceptance counts per kind of update.
 */
public final class ChainState implements AutoCloseable {
    private final GaugeField field;
    double logQ;
    double logWeight;
    double[] observables;
    long updates;
    final long[] proposed = new long[UpdateKind.values().length];
    final long[] accepted = new long[UpdateKind.values().length];

    ChainState(GaugeField field, double logQ, double logWeight, double[] observables, long updates) {
        if (field.batch() != 1) throw new IllegalArgumentException("chain state batch = " + field.batch() + ": expected 1");
        this.field = field.retain();
        this.logQ = logQ;
        this.logWeight = logWeight;
        this.observables = observables;
        this.updates = updates;
    }

    /** The current configuration (a batch of one); updates change it in place. */
    public GaugeField field() { return field; }

    public double logQ() { return logQ; }

    public double logWeight() { return logWeight; }

    public double[] observables() { return observables.clone(); }

    /** Number of updates done since the start of the chain (across resumes). */
    public long updates() { return updates; }

    public long proposed(UpdateKind k) { return proposed[k.ordinal()]; }

    public long accepted(UpdateKind k) { return accepted[k.ordinal()]; }

    /** Accepted / proposed for that kind, NaN when none was proposed. */
    public double acceptance(UpdateKind k) {
        long p = proposed(k);
        return p == 0 ? Double.NaN : (double) accepted(k) / p;
    }

    void count(UpdateKind k, boolean acc) {
        proposed[k.ordinal()]++;
        if (acc) accepted[k.ordinal()]++;
    }

    @Override public void close() { field.close(); }
}
