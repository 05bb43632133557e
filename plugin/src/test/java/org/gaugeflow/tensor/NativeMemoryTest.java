package org.gaugeflow.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat over 10,000 iterations of a typical tensor loop run inside PointerScopes:
 * the number of live JavaCPP-owned native objects does not grow, and the resident memory grows by far
 * less than one iteration's tensors (about 1 MiB) times the iteration count would make it if they leaked.
 * (Resident memory also moves by some tens of MiB as the JVM first touches its heap pages: that is
 * noise to this test, which looks for the gigabytes of a leak.)
 */
class NativeMemoryTest {


    @Test
    void nativeMemoryStaysFlatOverTenThousandIterations() {
        Lattice lat = Lattice.parse("8x8");
        WilsonAction action = new WilsonAction(2.0);
        try (Rng rng = new Rng(1, FieldOptions.CPU_DOUBLE)) {
            GaugeField field;
            org.bytedeco.pytorch.Tensor rotation;
            try (PointerScope outer = new PointerScope()) {
                field = GaugeField.haar(new SUN(2), lat, 8, rng).retain();
                rotation = Tensors.retain(new SUN(2).haar(rng, 1));
            }
            long bytesBefore = 0;
            long countBefore = 0;
            for (int i = 0; i < 10_000; i++) {
                try (PointerScope s = new PointerScope()) {
                    // a typical step: transform the links, measure the action
                    GaugeField v = field.withLinks(field.links().matmul(rotation));
                    action.action(v).sum().item_double();
                }
                if (i == 1000) {
                    bytesBefore = Pointer.physicalBytes();
                    countBefore = Pointer.totalCount();
                }
                if (i > 1000 && i % 1000 == 0) {
                    long g = Pointer.physicalBytes() - bytesBefore;
                    assertTrue(g < 128L << 20, "resident memory grew by " + (g >> 20) + " MiB by iteration " + i);
                }
            }
            long growth = Pointer.physicalBytes() - bytesBefore;
            long countGrowth = Pointer.totalCount() - countBefore;
            field.close();
            Tensors.release(rotation);
            assertTrue(countGrowth < 10, "live native objects grew by " + countGrowth + " over 9,000 iterations");
            assertTrue(growth < 128L << 20, "resident memory grew by " + (growth >> 20) + " MiB over 9,000 iterations");
        }
    }

    /** The measurement can fail: the same loop that keeps its tensors is seen to grow. */
    @Test
    void aLoopThatKeepsItsTensorsIsSeenToGrow() {
        Lattice lat = Lattice.parse("4x4");
        java.util.List<org.bytedeco.pytorch.Tensor> kept = new java.util.ArrayList<>();
        try (Rng rng = new Rng(1, FieldOptions.CPU_DOUBLE); PointerScope s = new PointerScope()) {
            long countBefore = Pointer.totalCount();
            for (int i = 0; i < 200; i++) kept.add(GaugeField.haar(new SUN(2), lat, 4, rng).links());
            assertTrue(Pointer.totalCount() - countBefore >= 200, "leak not detected");
        }
    }
}
