package org.gaugeflow.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.GaugeTransformation;
import org.gaugeflow.physics.WilsonAction;
import org.junit.jupiter.api.Test;

/** Native memory stays flat over 10,000 iterations of a typical tensor loop run inside PointerScopes. */
class NativeMemoryTest {

    @Test
    void residentMemoryStaysFlatOverTenThousandIterations() {
        Lattice lat = Lattice.parse("4x4");
        WilsonAction action = new WilsonAction(2.0);
        try (Rng rng = new Rng(1, FieldOptions.CPU_DOUBLE)) {
            GaugeField field;
            try (PointerScope outer = new PointerScope()) {
                field = GaugeField.haar(new SUN(2), lat, 4, rng).retain();
            }
            long before = 0;
            for (int i = 0; i < 10_000; i++) {
                try (PointerScope s = new PointerScope()) {
                    GaugeField v = GaugeTransformation.apply(field, GaugeTransformation.random(field, rng));
                    action.action(v).sum().item_double();
                }
                if (i == 500) before = Pointer.physicalBytes();
            }
            long after = Pointer.physicalBytes();
            field.close();
            long growth = after - before;
            assertTrue(growth < 24L << 20, "resident memory grew by " + (growth >> 20) + " MiB over 9,500 iterations");
        }
    }
}
