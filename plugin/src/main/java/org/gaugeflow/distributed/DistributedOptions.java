package org.gaugeflow.distributed;

import java.time.Duration;

/**
 * Settings of a data-parallel run's communication (docs/distributed.md).
 *
 * @param timeout     how long any collective (and the rendezvous) waits for the other ranks before it fails: a rank
 *                    that hangs stops the others after at most this long (plus a few seconds to name it). It must
 *                    exceed the longest time rank 0 works alone between two steps (a checkpoint and a held-out
 *                    evaluation). Default {@link #DEFAULT_TIMEOUT}.
 * @param bucketBytes the size of the gradient buckets all-reduced as one message (default {@link #DEFAULT_BUCKET_BYTES})
 * @param sync        how gradients are all-reduced
 */
public record DistributedOptions(Duration timeout, long bucketBytes, GradientSync sync) {
    /** The default collective timeout: 5 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** The default gradient bucket: 1 MiB. */
    public static final long DEFAULT_BUCKET_BYTES = 1L << 20;
    /** The defaults. */
    public static final DistributedOptions DEFAULTS = new DistributedOptions(DEFAULT_TIMEOUT, DEFAULT_BUCKET_BYTES, GradientSync.OVERLAPPED);

    public DistributedOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + ": expected a positive duration");
        }
        if (bucketBytes < 1024) throw new IllegalArgumentException("bucket bytes " + bucketBytes + ": expected >= 1024");
        if (sync == null) throw new IllegalArgumentException("gradient sync: expected overlapped or after-backward");
    }

    /** The same options with another timeout. */
    public DistributedOptions withTimeout(Duration t) { return new DistributedOptions(t, bucketBytes, sync); }

    /** The same options with another bucket size. */
    public DistributedOptions withBucketBytes(long b) { return new DistributedOptions(timeout, b, sync); }

    /** The same options with another way of all-reducing gradients. */
    public DistributedOptions withSync(GradientSync s) { return new DistributedOptions(timeout, bucketBytes, s); }

    /**
     * How the gradients of a step are all-reduced.
     */
    public enum GradientSync {
        /**
         * LibTorch's c10d {@code Reducer} (the engine of PyTorch's DistributedDataParallel): gradients are copied
         * into buckets as the backward pass produces them and each full bucket's all-reduce starts at once, so
         * communication overlaps the rest of the backward pass.
         */
        OVERLAPPED,
        /**
         * After the backward pass: the gradients are flattened into the same buckets, every bucket's all-reduce is
         * started asynchronously and all are awaited (no overlap with computation; its wait is timed, which is how
         * the benchmark measures the all-reduce's share of a step).
         */
        AFTER_BACKWARD;

        /** {@code overlapped} or {@code after-backward}. */
        public static GradientSync parse(String s) {
            switch (s == null ? "" : s.trim().toLowerCase()) {
                case "overlapped": case "reducer": return OVERLAPPED;
                case "after-backward": case "after_backward": return AFTER_BACKWARD;
                default: throw new IllegalArgumentException("gradient sync '" + s + "': expected overlapped or after-backward");
            }
        }
    }
}
