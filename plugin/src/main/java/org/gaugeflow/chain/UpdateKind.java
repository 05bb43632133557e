package org.gaugeflow.chain;

/** The kinds of Markov-chain update; acceptance is reported per kind. */
public enum UpdateKind {
    /** One HMC trajectory (exact for p by its own Metropolis step). */
    HMC,
    /** One independence-Metropolis step with a flow proposal. */
    FLOW;

    /** "hmc", "flow": the name in files. */
    public String label() { return name().toLowerCase(); }

    public static UpdateKind parse(String s) {
        for (UpdateKind k : values()) if (k.label().equals(s)) return k;
        throw new IllegalArgumentException("update kind '" + s + "': expected hmc or flow");
    }
}
