package org.gaugeflow.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Pareto k-hat of importance ratios: known tails recovered, the limit, and the edge cases. */
class ParetoTailTest {

    /** log of S draws of a generalized Pareto distribution with shape k, scale 1 (inverse CDF). */
    private static double[] logGeneralizedPareto(double k, int s, long seed) {
        Random r = new Random(seed);
        double[] lw = new double[s];
        for (int i = 0; i < s; i++) lw[i] = Math.log((Math.pow(1 - r.nextDouble(), -k) - 1) / k);
        return lw;
    }

    private static double[] gaussian(double sd, int s, long seed) {
        Random r = new Random(seed);
        double[] lw = new double[s];
        for (int i = 0; i < s; i++) lw[i] = 3.7 + sd * r.nextGaussian();
        return lw;
    }

    @Test
    void recoversTheShapeOfAParetoTail() {
        // S = 100,000: M = 948 tail draws, standard error of k-hat ~ (1 + k)/sqrt(M) <= 0.07
        for (double k : new double[] {0.2, 0.5, 1.0}) {
            ParetoTail t = ParetoTail.of(logGeneralizedPareto(k, 100_000, 7));
            assertEquals(948, t.tail());
            assertEquals(k, t.k(), 4 * (1 + k) / Math.sqrt(t.tail()), "k = " + k);
        }
    }

    @Test
    void logNormalRatiosAreJudgedByTheirSpread() {
        // Gaussian log ratios with standard deviation s: KL(q||p) = s^2 / 2. A narrow spread is a light tail, a wide
        // one (KL 8, the failing 4D U(1) independence chain of docs/results.md had s = 4.15) is flagged
        ParetoTail narrow = ParetoTail.of(gaussian(0.5, 10_000, 1));
        assertTrue(narrow.k() < 0.3 && narrow.acceptable(), narrow.describe());
        ParetoTail wide = ParetoTail.of(gaussian(4.0, 10_000, 2));
        assertTrue(wide.k() > 1.0 && !wide.acceptable(), wide.describe());
        assertTrue(wide.describe().matches("Pareto k-hat \\d\\.\\d\\d > 0\\.70 \\(limit for 10000 samples\\)"), wide.describe());
        // a constant added to every log ratio (log Z) changes nothing
        double[] shifted = gaussian(4.0, 10_000, 2);
        for (int i = 0; i < shifted.length; i++) shifted[i] += 1234.5;
        assertEquals(wide.k(), ParetoTail.of(shifted).k(), 1e-9);
    }

    @Test
    void limitDependsOnTheSampleSize() {
        assertEquals(0.5, ParetoTail.limit(100), 1e-12);
        assertEquals(1 - 1 / 3.0, ParetoTail.limit(1000), 1e-12);
        assertEquals(0.7, ParetoTail.limit(10_000), 1e-12);
        assertEquals(0.7, ParetoTail.limit(1_000_000), 1e-12);
    }

    @Test
    void edgeCases() {
        double[] flat = new double[500];
        java.util.Arrays.fill(flat, -2.0);
        ParetoTail t = ParetoTail.of(flat);
        assertTrue(Double.isNaN(t.k()) && t.acceptable(), t.describe());

        double[] withInfinities = gaussian(0.5, 1000, 3);
        withInfinities[0] = Double.NEGATIVE_INFINITY;
        withInfinities[1] = Double.NaN;
        assertEquals(998, ParetoTail.of(withInfinities).samples());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParetoTail.of(new double[50]));
        assertEquals("50 finite log ratios: expected at least 100 for a tail fit", e.getMessage());
        assertFalse(ParetoTail.of(gaussian(4.0, 200, 4)).acceptable());
    }
}
