package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgGaugeFields;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ILDG -> NERSC -> ILDG keeps the links (and agrees on the site and direction order). */
class IldgNerscConversionTest {

    @TempDir
    Path dir;

    private static IldgWriter.Options ildg(Precision p) {
        return IldgWriter.Options.of(p, new Provenance("0.1.0-test", null, null, "test", null, null));
    }

    private Tensor roundTrip(Tensor ildgLinks, Precision ildgPrecision, NerscWriter.Options nersc) throws Exception {
        Path in = dir.resolve("in.lime");
        IldgWriter.write(in, ildgLinks, ildg(ildgPrecision));
        IldgGaugeFields.Loaded loaded = IldgGaugeFields.read(in, IldgReader.Options.defaults(), FieldOptions.CPU_DOUBLE);
        Path mid = dir.resolve("mid.nersc");
        NerscFiles.write(mid, loaded.field(), nersc);
        GaugeField back = NerscFiles.read(mid).field();
        Path out = dir.resolve("out.lime");
        IldgGaugeFields.write(out, back, 0, ildg(ildgPrecision));
        IldgConfiguration c = IldgReader.read(out);
        return c.links();
    }

    @Test
    void sixtyFourBitFullMatricesAreExact() throws Exception {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(41, FieldOptions.CPU_DOUBLE)) {
            Tensor u = GaugeField.haar(new SUN(3), Lattice.parse("2x3x4x5"), 1, rng).toIldgOrder(0);
            assertTrue(roundTrip(u, Precision.DOUBLE, NerscWriter.Options.defaults()).equal(u));
        }
    }

    @Test
    void twoRowFilesKeepTheLinksToRounding() throws Exception {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(42, FieldOptions.CPU_DOUBLE)) {
            Tensor u = GaugeField.haar(new SUN(3), Lattice.parse("4x4x4x4"), 1, rng).toIldgOrder(0);
            Tensor back = roundTrip(u, Precision.DOUBLE, NerscWriter.Options.defaults().withDataType(NerscDataType.SU3_GAUGE));
            double err = Tensors.maxAbs(back.sub(u));
            assertTrue(err < 1e-14, "max error " + err);
        }
    }

    @Test
    void thirtyTwoBitFilesCarryTheSameFloats() throws Exception {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(43, FieldOptions.CPU_DOUBLE)) {
            Tensor u = GaugeField.haar(new SUN(3), Lattice.parse("4x4x4x4"), 1, rng).toIldgOrder(0);
            Tensor rounded = u.to(org.bytedeco.pytorch.global.torch.ScalarType.ComplexFloat)
                    .to(org.bytedeco.pytorch.global.torch.ScalarType.ComplexDouble);
            Tensor back = roundTrip(u, Precision.FLOAT, NerscWriter.Options.defaults().withBits(32));
            assertTrue(back.equal(rounded), "ILDG 32 -> NERSC IEEE32BIG -> ILDG 32 keeps every float");
            assertArrayEquals(Tensors.toArray(org.bytedeco.pytorch.global.torch.view_as_real(rounded)),
                    Tensors.toArray(org.bytedeco.pytorch.global.torch.view_as_real(back)));
        }
    }
}
