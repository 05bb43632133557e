package org.gaugeflow.flow.sun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.ModelRegistry;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The YAML model types on 3D and 4D lattices: {@code sun-flow} builds the d-dimensional fine flow, {@code sun-multiscale} puts it on its doubling layers. */
class SUNFlowConfigurationTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void threads() { TorchRuntime.configure(); }

    static Module build(String section, Theory theory) {
        try (Rng init = new Rng(3, F64)) {
            return ModelRegistry.build(theory, ConfigSection.parse("model: " + section, "test.yaml").section("model"), F64, init);
        }
    }

    @ParameterizedTest
    @CsvSource({"2, 2x2x2, 36, 28, 52", "3, 2x2x2x2, 64, 44, 122"})
    void sunFlowBuildsTheFineFlowInThreeAndFourDimensions(int n, String lattice, int layers, int directionFeatures,
            int locationFeatures) {
        Theory theory = new Theory(new SUN(n), Lattice.parse(lattice), 2.0);
        Module m = build("{type: sun-flow, hidden: [4], bins: 4, init_scale: 0.5}", theory);
        SUNFineLatticeFlow f = asFineFlow(m);
        assertEquals(layers, f.transform().parts().size());
        for (var t : f.transform().parts()) {
            SUNCouplingLayer l = (SUNCouplingLayer) t;
            // the context sizes of docs/su3.md
            assertEquals(l.kind() == SUNCouplingLayer.Kind.PLAQUETTE ? directionFeatures : locationFeatures, l.contextFeatures());
        }
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, F64); NoGradGuard ng = new NoGradGuard()) {
            Sample x = f.sample(1, rng);
            assertEquals(java.util.Arrays.toString(new long[] {1, lattice.split("x").length}),
                    java.util.Arrays.toString(java.util.Arrays.copyOf(Tensors.shape(x.value()), 2)));
            assertTrue(Tensors.maxAbs(f.logProb(x.value()).sub(x.logQ())) < 1e-10);
        }
    }

    private static SUNFineLatticeFlow asFineFlow(Module m) {
        assertTrue(m instanceof SUNFineLatticeFlow, m.getClass().getName());
        return (SUNFineLatticeFlow) m;
    }

    /**
     * {@code sun-multiscale} in 3D: d-dimensional doubling layers with the d-dimensional fine flow on top; the density
     * of its own samples is exact (log q from sampling = logProb).
     */
    @Test
    void sunMultiscaleInThreeDimensionsComposesWithTheFineFlow() {
        Theory theory = new Theory(new SUN(2), Lattice.parse("4x4x4"), 2.0);
        Module m = build("{type: sun-multiscale, hidden: [4], bins: 4, init_scale: 0.3, fine_iterations: 1}", theory);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, F64); NoGradGuard ng = new NoGradGuard()) {
            var d = (org.gaugeflow.flow.Density) m;
            Sample x = d.sample(2, rng);
            double diff = Tensors.maxAbs(d.logProb(x.value()).sub(x.logQ()));
            assertTrue(diff < 1e-10, "log q vs logProb: " + diff);
        }
    }

    @Test
    void oddExtentsAreRefusedInOneLine() {
        Theory theory = new Theory(new SUN(2), Lattice.parse("4x3x4"), 2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build("{type: sun-flow, hidden: [4]}", theory));
        assertEquals("config test.yaml: lattice extent L_1 = 3: expected an even extent for the coupling masks", e.getMessage());
    }
}
