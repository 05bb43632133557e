package org.gaugeflow.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

class GaugeFieldTest {

    @Test
    void layoutPutsDirectionsFirstAndXFastest() {
        try (PointerScope s = new PointerScope()) {
            Lattice lat = Lattice.parse("4x6x8");
            GaugeField f = GaugeField.unit(new SUN(2), lat, 3, FieldOptions.CPU_DOUBLE);
            assertEquals(java.util.List.of(3L, 3L, 8L, 6L, 4L, 2L, 2L),
                    java.util.Arrays.stream(Tensors.shape(f.links())).boxed().toList());
            assertEquals(3, GaugeField.siteDim(3, 0));
            assertEquals(1, GaugeField.siteDim(3, 2));
            // a per-site tensor holding the x coordinate: shift along x by +1 gives x+1 mod 4
            Tensor x = torch.arange(new org.bytedeco.pytorch.Scalar(4)).to(torch.ScalarType.Double)
                    .reshape(1, 1, 1, 4).expand(1, 8, 6, 4);
            Tensor shifted = f.shift(x, 0, 1);
            assertEquals(1.0, shifted.select(3, 0).max().item_double());
            assertEquals(0.0, shifted.select(3, 3).max().item_double());
        }
    }

    @Test
    void ildgOrderRoundTripsAndPutsSitesBeforeDirections() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, FieldOptions.CPU_DOUBLE)) {
            Lattice lat = Lattice.parse("2x3x4x5");
            GaugeField f = GaugeField.haar(new SUN(3), lat, 2, rng);
            Tensor ildg = f.toIldgOrder(1);
            assertEquals(java.util.List.of(5L, 4L, 3L, 2L, 4L, 3L, 3L),
                    java.util.Arrays.stream(Tensors.shape(ildg)).boxed().toList());
            // site (x=1,y=2,z=3,t=4), mu = 2
            Tensor a = ildg.select(0, 4).select(0, 3).select(0, 2).select(0, 1).select(0, 2);
            Tensor b = f.links().select(0, 1).select(0, 2).select(0, 4).select(0, 3).select(0, 2).select(0, 1);
            assertEquals(0.0, Tensors.maxAbs(a.sub(b)));
            GaugeField back = GaugeField.fromIldgOrder(new SUN(3), lat, ildg, FieldOptions.CPU_DOUBLE);
            assertEquals(0.0, Tensors.maxAbs(back.links().sub(f.select(1).links())));
        }
    }

    @Test
    void floatPrecisionWorks() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, FieldOptions.cpu(Precision.FLOAT))) {
            GaugeField f = GaugeField.haar(new SUN(3), Lattice.parse("4x4"), 2, rng);
            assertEquals(Precision.FLOAT, f.precision());
            double p64 = WilsonAction.averagePlaquette(f.to(FieldOptions.CPU_DOUBLE)).mean().item_double();
            double p32 = WilsonAction.averagePlaquette(f).mean().item_double();
            assertEquals(p64, p32, 1e-5);
        }
    }

    @Test
    void badInputIsRefusedWithTheValueAndWhatWasExpected() {
        try (PointerScope s = new PointerScope()) {
            Lattice lat = Lattice.parse("4x4");
            Tensor real = torch.ones(1, 2, 4, 4, 1, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GaugeField(U1.INSTANCE, lat, real));
            assertTrue(e.getMessage().contains("expected complex"), e.getMessage());
            Tensor wrongN = GaugeField.unit(new SUN(2), lat, 1, FieldOptions.CPU_DOUBLE).links();
            e = assertThrows(IllegalArgumentException.class, () -> new GaugeField(new SUN(3), lat, wrongN));
            assertTrue(e.getMessage().contains("expected [B, 2, 4, 4, 3, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> GaugeGroup.parse("so3"));
            assertTrue(e.getMessage().contains("'so3'") && e.getMessage().contains("expected"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new SUN(1));
            assertTrue(e.getMessage().contains("N = 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new FieldOptions(Precision.DOUBLE, "tpu"));
            assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
            if (!torch.cuda_is_available()) {
                e = assertThrows(IllegalArgumentException.class, () -> new FieldOptions(Precision.DOUBLE, "cuda"));
                assertTrue(e.getMessage().contains("CUDA is not available"), e.getMessage());
            }
            GaugeField f64 = GaugeField.unit(new SUN(2), lat, 1, FieldOptions.CPU_DOUBLE);
            Tensor omega32 = GaugeField.unit(new SUN(2), lat, 1, FieldOptions.cpu(Precision.FLOAT)).link(0);
            e = assertThrows(IllegalArgumentException.class,
                    () -> org.gaugeflow.physics.GaugeTransformation.apply(f64, omega32));
            assertTrue(e.getMessage().contains("gauge transformation dtype ComplexFloat: expected ComplexDouble"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new WilsonAction(-1));
            assertTrue(e.getMessage().contains("beta = -1.0"), e.getMessage());
        }
    }
}
