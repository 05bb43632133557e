package org.gaugeflow.physics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GaugeInvarianceTest {

    static Stream<Arguments> cases() {
        String[] groups = {"u1", "su2", "su3"};
        String[] lattices = {"4x4", "3x4", "2x3x4", "2x2x2x3", "4x6x8"};
        Stream.Builder<Arguments> b = Stream.builder();
        for (String g : groups) for (String l : lattices) b.add(Arguments.of(g, l));
        return b.build();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void actionAndPlaquetteAreGaugeInvariant(String groupName, String latticeSpec) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(11, FieldOptions.CPU_DOUBLE)) {
            GaugeGroup g = GaugeGroup.parse(groupName);
            Lattice lat = Lattice.parse(latticeSpec);
            GaugeField u = GaugeField.haar(g, lat, 2, rng);
            GaugeField v = GaugeTransformation.apply(u, GaugeTransformation.random(u, rng));
            WilsonAction s = new WilsonAction(2.3);
            double plaquettes = lat.volume() * lat.planes();

            Tensor ds = s.action(u).sub(s.action(v)).div(Tensors.scalar(plaquettes));
            Tensor dp = WilsonAction.averagePlaquette(u).sub(WilsonAction.averagePlaquette(v));
            assertTrue(Tensors.maxAbs(ds) < 1e-12, "action density changed by " + Tensors.maxAbs(ds));
            assertTrue(Tensors.maxAbs(dp) < 1e-12, "plaquette changed by " + Tensors.maxAbs(dp));

            // The transformation is not trivial: a gauge-variant quantity (the links themselves) changes.
            assertTrue(Tensors.maxAbs(u.links().sub(v.links())) > 1e-3, "gauge transformation did nothing");
        }
    }
}
