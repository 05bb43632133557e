package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IldgRoundTripTest {

    @TempDir
    Path dir;

    /** SU(3) 4D (ILDG proper, with unequal extents to catch axis mix-ups) and the extension. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new SUN(3), "2x3x4x5"),
                Arguments.of(new SUN(2), "3x4x2x2"),
                Arguments.of(new SUN(2), "3x4x5"),
                Arguments.of(U1.INSTANCE, "6x4"),
                Arguments.of(U1.INSTANCE, "3x4x2"),
                Arguments.of(new SUN(3), "4x3"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sixtyFourBitIsBitForBit(GaugeGroup group, String lattice) throws Exception {
        try (PointerScope s = new PointerScope()) {
            Tensor u = TestConfigs.haarIldg(group, lattice, 11);
            Path f = dir.resolve("c64.lime");
            ScidacChecksum written = IldgWriter.write(f, u, TestConfigs.options(Precision.DOUBLE));
            IldgConfiguration back = IldgReader.read(f);
            assertTrue(back.links().equal(u), "64-bit round trip must be exact");
            assertEquals(written, back.computed());
            assertEquals(Optional.of(true), back.checksumOk());
            IldgLayout layout = back.info().layout();
            assertArrayEquals(Lattice.parse(lattice).extents(),
                    java.util.Arrays.stream(layout.extents()).mapToInt(l -> (int) l).toArray());
            assertEquals(FieldType.of(group), layout.field());
            assertEquals(Precision.DOUBLE, layout.precision());
            assertEquals("ildg-format", back.info().layoutSource());
            assertEquals(Optional.of(TestConfigs.provenance()), back.info().provenance());
            assertEquals(Optional.of("c64.lime"), back.info().lfn());
            assertTrue(back.info().warnings().isEmpty(), back.info().warnings().toString());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void thirtyTwoBitIsExactToFloatRounding(GaugeGroup group, String lattice) throws Exception {
        try (PointerScope s = new PointerScope()) {
            Tensor u = TestConfigs.haarIldg(group, lattice, 12);
            Path f = dir.resolve("c32.lime");
            IldgWriter.write(f, u, TestConfigs.options(Precision.FLOAT));
            IldgConfiguration back = IldgReader.read(f);
            Tensor rounded = u.to(torch.ScalarType.ComplexFloat).to(torch.ScalarType.ComplexDouble);
            assertTrue(back.links().equal(rounded), "32-bit round trip must equal the float-rounded field");
            assertFalse(back.links().equal(u), "float rounding must show in a Haar-random field");
            double maxErr = back.links().sub(u).abs().max().item_double();
            assertTrue(maxErr < 1e-7, "max error " + maxErr);
            assertEquals(Precision.FLOAT, back.info().layout().precision());
            assertEquals(Optional.of(true), back.checksumOk());
        }
    }

    @Test
    void writesTheQioRecordOrderWithPairedMessageFlags() throws Exception {
        try (PointerScope s = new PointerScope()) {
            Path f = dir.resolve("order.lime");
            IldgWriter.write(f, TestConfigs.haarIldg(new SUN(3), "2x2x2x2", 3), TestConfigs.options(Precision.DOUBLE));
            List<TestConfigs.RawRecord> recs = TestConfigs.parseByHand(f);
            assertEquals(IldgRecordTypes.WRITE_ORDER, recs.stream().map(TestConfigs.RawRecord::type).toList());
            int[] flags = recs.stream().mapToInt(TestConfigs.RawRecord::flags).toArray();
            assertArrayEquals(new int[] {0x80, 0x40, 0x80, 0, 0, 0, 0, 0x40}, flags);
            String format = new String(recs.get(4).data(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(format.contains("<field>su3gauge</field>") && format.contains("<lt>2</lt>"), format);
            String record = new String(recs.get(3).data(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(record.contains("<modelChecksum>sha256:abc&lt;&amp;&gt;</modelChecksum>"), record);
        }
    }

    @Test
    void gaugeFieldsRoundTripWithTheirPlaquette() throws Exception {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(new SUN(3), Lattice.parse("2x3x2x4"), 2, rng);
            Path file = dir.resolve("gf.lime");
            IldgGaugeFields.write(file, f, 1, TestConfigs.options(Precision.DOUBLE));
            IldgGaugeFields.Loaded back = IldgGaugeFields.read(file, IldgReader.Options.defaults(),
                    FieldOptions.CPU_DOUBLE);
            assertEquals(new SUN(3), back.field().group());
            assertEquals(f.lattice(), back.field().lattice());
            assertTrue(back.field().links().equal(f.select(1).links()));
            assertEquals(WilsonAction.averagePlaquette(f.select(1)).item_double(),
                    WilsonAction.averagePlaquette(back.field()).item_double(), 0.0);
        }
    }
}
