package org.gaugeflow.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.io.ildg.FieldType;
import org.gaugeflow.io.ildg.IldgLayout;
import org.junit.jupiter.api.Test;

/** Sizes from text: separators too many, numbers too large and overflowing products are one-line errors naming the value. */
class LatticeParseTest {
    @Test
    void trailingSeparatorsAreRefused() {
        assertEquals(new Lattice(8, 8, 8, 8), Lattice.parse("8x8x8x8"));
        for (String bad : new String[] {"8x8x", "8x8x8x8x", "x8x8", "8xx8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lattice.parse(bad), bad);
            assertTrue(e.getMessage().contains("lattice '" + bad + "'") && e.getMessage().contains("empty extent"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> IldgLayout.parseLattice(bad), bad);
        }
    }

    @Test
    void overflowsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lattice.parse("1000000000x1000000000x1000000000x1000000000"));
        assertTrue(e.getMessage().contains("1000000000x1000000000x1000000000x1000000000") && e.getMessage().contains("overflows"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lattice.parse("8x99999999999"));
        assertTrue(e.getMessage().contains("99999999999") && e.getMessage().contains("too large"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FieldType.parse("su99999999999gauge"));
        assertTrue(e.getMessage().contains("su99999999999gauge") && !e.getMessage().contains("For input string"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GaugeGroup.parse("su99999999999"));
        assertTrue(e.getMessage().contains("su99999999999"), e.getMessage());
    }
}
