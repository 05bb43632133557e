package org.gaugeflow.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shards of a global batch and the seeds of their per-step streams (docs/distributed.md, "Seeds"). */
class ShardedSamplingTest {

    @Test
    void shardsTileTheGlobalBatch() {
        for (long batch : new long[] {1, 2, 7, 8, 256, 1001}) {
            for (int shards = 1; shards <= Math.min(batch, 9); shards++) {
                long at = 0;
                for (int k = 0; k < shards; k++) {
                    assertEquals(at, ShardedSampling.offset(batch, shards, k), batch + "/" + shards + " shard " + k);
                    long n = ShardedSampling.size(batch, shards, k);
                    assertTrue(n == batch / shards || n == batch / shards + 1);
                    at += n;
                }
                assertEquals(batch, at);
            }
        }
    }

    @Test
    void everyStepAndShardHasItsOwnSeed() {
        Set<Long> seeds = new HashSet<>();
        for (long seed : new long[] {0, 1, 2}) {
            for (long step = 0; step < 100; step++) for (int k = 0; k < 8; k++) seeds.add(ShardedSampling.seed(seed, step, k));
        }
        assertEquals(3 * 100 * 8, seeds.size());
        assertEquals(ShardedSampling.seed(1, 5, 3), ShardedSampling.seed(1, 5, 3));
        assertNotEquals(ShardedSampling.seed(1, 5, 3), ShardedSampling.seed(1, 3, 5));
        assertEquals(new ShardedSampling(4, new int[] {2}), ShardedSampling.rank(2, 4));
        assertThrows(IllegalArgumentException.class, () -> new ShardedSampling(2, new int[] {2}));
    }
}
