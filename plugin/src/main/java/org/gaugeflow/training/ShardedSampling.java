package org.gaugeflow.training;

import java.util.Arrays;

/**
 * How data-parallel training draws its global batch (docs/distributed.md, "Seeds"): the batch B of step s (counted
 * from 0) is the concatenation of {@code shards} shards, shard k holding {@link #size} samples (B / shards, the first
 * B mod shards shards one more) drawn from a fresh stream seeded with {@link #seed}(training.seed, s, k). A process
 * draws the shards listed in {@code own}: rank r of a data-parallel run owns shard r of {@code worldSize}; a single
 * process that owns every shard ({@link #all}) draws exactly the same samples in one process (the reference of the
 * equivalence tests).
 *
 * <p>The streams depend on (seed, step, shard) alone, so a checkpoint needs no stream state: resuming with the same
 * number of ranks continues exactly, resuming with another number draws the remaining steps' samples from other
 * (equally independent) streams.
 *
 * @param shards the number of shards of the global batch (the world size)
 * @param own    the shards this process draws, in increasing order
 */
public record ShardedSampling(int shards, int[] own) {
    public ShardedSampling {
        if (shards < 1) throw new IllegalArgumentException("shards = " + shards + ": expected >= 1");
        if (own == null || own.length == 0) throw new IllegalArgumentException("sharded sampling: expected at least one own shard");
        own = own.clone();
        for (int i = 0; i < own.length; i++) {
            if (own[i] < 0 || own[i] >= shards || (i > 0 && own[i] <= own[i - 1])) {
                throw new IllegalArgumentException("own shards " + Arrays.toString(own) + ": expected increasing values in [0, " + shards + ")");
            }
        }
    }

    /** Rank {@code rank} of {@code worldSize}: owns shard {@code rank}. */
    public static ShardedSampling rank(int rank, int worldSize) { return new ShardedSampling(worldSize, new int[] {rank}); }

    /** One process drawing all {@code shards} shards (what {@code shards} ranks draw together). */
    public static ShardedSampling all(int shards) {
        int[] k = new int[shards];
        for (int i = 0; i < shards; i++) k[i] = i;
        return new ShardedSampling(shards, k);
    }

    @Override public int[] own() { return own.clone(); }

    /** Samples of shard k of a global batch of {@code batch}: B / shards, plus one for the first B mod shards shards. */
    public static long size(long batch, int shards, int k) {
        return batch / shards + (k < batch % shards ? 1 : 0);
    }

    /** Index of shard k's first sample in the global batch. */
    public static long offset(long batch, int shards, int k) {
        return k * (batch / shards) + Math.min(k, batch % shards);
    }

    /**
     * The seed of shard {@code shard}'s stream at step {@code step} (0-based) of a run seeded with {@code seed}:
     * SplitMix64 applied three times, {@code mix(mix(mix(seed) + step) + shard)}, with
     * {@code mix(x) = splitmix64 finalizer of (x + 0x9E3779B97F4A7C15)}.
     */
    public static long seed(long seed, long step, int shard) {
        return mix(mix(mix(seed) + step) + shard);
    }

    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override public boolean equals(Object o) {
        return o instanceof ShardedSampling s && s.shards == shards && Arrays.equals(s.own, own);
    }

    @Override public int hashCode() { return 31 * shards + Arrays.hashCode(own); }

    @Override public String toString() { return "shards " + Arrays.toString(own) + " of " + shards; }
}
