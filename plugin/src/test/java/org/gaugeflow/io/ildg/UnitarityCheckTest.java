package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.junit.jupiter.api.Test;

class UnitarityCheckTest {

    @Test
    void unitAndHaarFieldsAreInTheGroupAndAScaledLinkIsNot() {
        try (PointerScope s = new PointerScope()) {
            Tensor u = GaugeField.unit(new SUN(3), Lattice.parse("2x2x2x2"), 1, FieldOptions.CPU_DOUBLE).toIldgOrder(0);
            UnitarityCheck.Deviation unit = UnitarityCheck.of(u, FieldType.SU3);
            assertEquals(0.0, unit.maxUnitarity());
            assertEquals(0.0, unit.maxDet());

            UnitarityCheck.Deviation haar = UnitarityCheck.of(TestConfigs.haarIldg(new SUN(3), "2x2x2x2", 4), FieldType.SU3);
            assertTrue(haar.maxUnitarity() < 1e-13 && haar.maxDet() < 1e-13, haar.toString());

            // one link (t=1, z=0, y=1, x=0, mu=2) scaled by 1.001: U U^dag - 1 = (1.001^2 - 1) on the diagonal
            u.select(0, 1).select(0, 0).select(0, 1).select(0, 0).select(0, 2).mul_(new Scalar(1.001));
            UnitarityCheck.Deviation bad = UnitarityCheck.of(u, FieldType.SU3);
            assertEquals(1.001 * 1.001 - 1, bad.maxUnitarity(), 1e-15);
            assertEquals(1.001 * 1.001 * 1.001 - 1, bad.maxDet(), 1e-15);
        }
    }

    @Test
    void u1HasNoDeterminantCondition() {
        try (PointerScope s = new PointerScope()) {
            UnitarityCheck.Deviation d = UnitarityCheck.of(TestConfigs.haarIldg(U1.INSTANCE, "4x4", 2), FieldType.U1);
            assertTrue(d.maxUnitarity() < 1e-15);
            assertTrue(Double.isNaN(d.maxDet()));
        }
    }
}
