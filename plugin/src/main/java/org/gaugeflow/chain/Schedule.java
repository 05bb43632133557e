package org.gaugeflow.chain;

/**
 * The repeating pattern of a chain: {@code hmc} HMC trajectories, then {@code flow} flow proposals, then
 * again. Each update leaves p(U) invariant, so the cycle does too. Independence Metropolis is (0, 1),
 * HMC alone is (1, 0).
 */
public record Schedule(int hmc, int flow) {

    public Schedule {
        if (hmc < 0 || flow < 0 || hmc + flow == 0) {
            throw new IllegalArgumentException("schedule " + hmc + " HMC + " + flow
                    + " flow updates per cycle: expected non-negative counts, at least one > 0");
        }
    }

    public static Schedule independence() { return new Schedule(0, 1); }

    public static Schedule hmcOnly() { return new Schedule(1, 0); }

    /** The kind of update number {@code index} (0-based). */
    public UpdateKind kind(long index) {
        return Math.floorMod(index, (long) hmc + flow) < hmc ? UpdateKind.HMC : UpdateKind.FLOW;
    }

    public boolean usesFlow() { return flow > 0; }

    public boolean usesHmc() { return hmc > 0; }

    @Override public String toString() { return hmc + " hmc + " + flow + " flow"; }
}
