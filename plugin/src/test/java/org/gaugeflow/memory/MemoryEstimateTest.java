package org.gaugeflow.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gaugeflow.experiments.Demo;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.ModelFootprint;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.training.RunConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory estimate made before allocating, and the check against the limit. */
class MemoryEstimateTest {

    private static RunConfig config(String lattice, int batch) {
        return RunConfig.parse(String.join("\n",
                "theory: {group: u1, lattice: " + lattice + ", beta: 2.0}",
                "model: {type: u1-flow, layers: 4, bins: 8, hidden: [32, 32], kernel: 3}",
                "training: {batch: " + batch + ", steps: 10, precision: float64, eval_samples: 64, eval_batch: 16}", ""), "t.yaml");
    }

    @AfterEach
    void resetLimit() {
        MemoryEstimate.setLimit(null);
    }

    @Test
    void aTooLargeLatticeIsRefusedWithinASecondWithTheEstimateAndTheLimit() {
        RunConfig huge = config("1048576x1048576", 256);
        long t0 = System.nanoTime();
        MemoryEstimate.TooLargeException e = assertThrows(MemoryEstimate.TooLargeException.class,
                () -> MemoryEstimate.training(huge).require());
        assertTrue(e.getMessage().matches(".*needs about [0-9.]+ [PE]B .*")
                && e.getMessage().contains("more than the limit of") && e.getMessage().contains("--memory-limit"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        e = assertThrows(MemoryEstimate.TooLargeException.class,
                () -> MemoryEstimate.hmc(U1.INSTANCE, Lattice.parse("1048576x1048576"), 1, "native", 1000).require());
        assertTrue(e.getMessage().contains("hmc u1 1048576x1048576"), e.getMessage());
        assertTrue((System.nanoTime() - t0) < 1_000_000_000L, "refused within a second");
    }

    @Test
    void theEstimateGrowsWithBatchAndLatticeAndSmallRunsFit() {
        double b64 = MemoryEstimate.training(config("16x16", 64)).bytes();
        double b128 = MemoryEstimate.training(config("16x16", 128)).bytes();
        double l32 = MemoryEstimate.training(config("32x32", 64)).bytes();
        assertTrue(b128 > 1.9 * b64 && b128 < 2.1 * b64, b64 + " " + b128);
        assertTrue(l32 > 3.9 * b64 && l32 < 4.1 * b64, b64 + " " + l32);
        double demo = MemoryEstimate.training(Demo.trainingConfig(Lattice.parse("8x8"), 2.0, 200, 1)).require().bytes();
        assertTrue(demo > 1e5 && demo < 1e9, MemoryEstimate.format(demo));
        // a chain: the field in float64, HMC copies, proposals
        double chain = MemoryEstimate.chain(new SUN(3), Lattice.parse("8x8x8x8"), ModelFootprint.NONE, Precision.DOUBLE, 64,
                "native", 1000).bytes();
        double field = MemoryEstimate.linkBytes(new SUN(3), Lattice.parse("8x8x8x8"), Precision.DOUBLE);
        assertEquals(4096 * 4 * 9 * 16.0, field);
        assertTrue(chain > 64 * field && chain < 2e9, MemoryEstimate.format(chain));   // 64 Haar proposals dominate
    }

    @Test
    void aLimitSetReplacesTheDefault() {
        MemoryEstimate.Limit dflt = MemoryEstimate.limit();
        assertTrue(dflt.bytes() > Runtime.getRuntime().maxMemory() && dflt.source().contains("available memory"), dflt.toString());
        MemoryEstimate.setLimit(1L << 20);
        assertEquals(1 << 20, MemoryEstimate.limit().bytes());
        MemoryEstimate.TooLargeException e = assertThrows(MemoryEstimate.TooLargeException.class,
                () -> MemoryEstimate.training(config("16x16", 64)).require());
        assertTrue(e.getMessage().contains("limit of 1.00 MB (--memory-limit)"), e.getMessage());
        MemoryEstimate.setLimit(1L << 50);
        MemoryEstimate.training(config("512x512", 256)).require();
    }

    @Test
    void sizesParseAndPrint() {
        assertEquals(16L << 30, MemoryEstimate.parseSize("16G"));
        assertEquals(512L << 20, MemoryEstimate.parseSize("512m"));
        assertEquals(3L << 39, MemoryEstimate.parseSize("1.5TB"));
        assertEquals(4L << 30, MemoryEstimate.parseSize("4GiB"));
        assertEquals(1000, MemoryEstimate.parseSize("1000"));
        for (String bad : new String[] {"", "G", "-1G", "abc", "0"}) {
            assertThrows(IllegalArgumentException.class, () -> MemoryEstimate.parseSize(bad), bad);
        }
        assertEquals("512 B", MemoryEstimate.format(512));
        assertEquals("1.50 KB", MemoryEstimate.format(1536));
        assertEquals("2.00 GB", MemoryEstimate.format(2.0 * (1L << 30)));
        assertEquals("400 PB", MemoryEstimate.format(400.0 * (1L << 50)));
    }
}
