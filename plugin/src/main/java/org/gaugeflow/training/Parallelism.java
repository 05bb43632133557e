package org.gaugeflow.training;

/**
 * How a {@link ReverseKlTrainer} draws its batch and combines gradients (docs/distributed.md):
 * <ul>
 *   <li>{@link #NONE}: one process, one sequential sampling stream seeded with {@code training.seed} (its state is
 *       checkpointed): ordinary training;
 *   <li>{@link #dataParallel}: rank r of N draws shard r of the global batch from its per-step stream
 *       ({@link ShardedSampling}), and the gradients are all-reduced by {@code group};
 *   <li>{@link #simulated}: one process draws all N shards the way N ranks would and accumulates their gradients
 *       (the same samples and, up to rounding, the same updates as N ranks; the reference of the equivalence tests).
 * </ul>
 *
 * @param sampling the shards this process draws (null: the sequential stream)
 * @param group    the process group (null: a single process)
 */
public record Parallelism(ShardedSampling sampling, DataParallel group) {
    /** Ordinary single-process training. */
    public static final Parallelism NONE = new Parallelism(null, null);

    public Parallelism {
        if (group != null && (sampling == null || sampling.own().length != 1 || sampling.shards() != group.worldSize()
                || sampling.own()[0] != group.rank())) {
            throw new IllegalArgumentException("data-parallel rank " + group.rank() + " of " + group.worldSize()
                    + ": expected to own exactly shard " + group.rank() + " of " + group.worldSize() + ", got " + sampling);
        }
    }

    /** Rank {@code group.rank()} of a data-parallel run. */
    public static Parallelism dataParallel(DataParallel group) {
        return new Parallelism(ShardedSampling.rank(group.rank(), group.worldSize()), group);
    }

    /** One process drawing what {@code shards} ranks draw. */
    public static Parallelism simulated(int shards) { return new Parallelism(ShardedSampling.all(shards), null); }

    /** Whether batches come from per-step shard streams. */
    public boolean sharded() { return sampling != null; }

    /** The number of processes whose gradients are averaged (1 without a group). */
    public int processes() { return group == null ? 1 : group.worldSize(); }

    /** This process's rank (0 without a group). */
    public int rank() { return group == null ? 0 : group.rank(); }

    /** Whether this process writes the run folder (rank 0). */
    public boolean writer() { return rank() == 0; }

    /** A description for logs and checkpoints. */
    public String describe() {
        if (sampling == null) return "sequential";
        return group == null ? "simulated " + sampling.shards() + " shards" : "data-parallel over " + sampling.shards() + " ranks";
    }
}
