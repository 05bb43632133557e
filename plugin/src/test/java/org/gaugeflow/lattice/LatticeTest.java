package org.gaugeflow.lattice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatticeTest {

    @Test
    void rankRunsXFastestAndIsPeriodic() {
        Lattice l = Lattice.parse("4x6x8");
        assertEquals(192, l.volume());
        assertEquals(3, l.planes());
        assertEquals(1, l.rank(1, 0, 0));
        assertEquals(4, l.rank(0, 1, 0));
        assertEquals(24, l.rank(0, 0, 1));
        assertEquals(l.rank(3, 5, 7), l.rank(-1, -1, -1));
        for (long r = 0; r < l.volume(); r++) assertEquals(r, l.rank(l.coordinates(r)));
        assertEquals(l.rank(0, 2, 3), l.neighbour(l.rank(3, 2, 3), 0, 1));
        assertEquals("4x6x8", l.toString());
        assertArrayEquals(new int[] {8, 6, 8}, l.refined(0, 2).extents());
    }

    @Test
    void badInputNamesTheValueAndWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lattice(4, 1));
        assertTrue(e.getMessage().contains("L_1 = 1") && e.getMessage().contains(">= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lattice(4));
        assertTrue(e.getMessage().contains("d >= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lattice.parse("8xfoo"));
        assertTrue(e.getMessage().contains("8xfoo"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lattice.parse("8x8").extent(2));
    }
}
