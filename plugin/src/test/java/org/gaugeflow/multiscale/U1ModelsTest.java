package org.gaugeflow.multiscale;

import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.group.U1;
import org.gaugeflow.model.ModelRegistry;
import org.gaugeflow.physics.Theory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

class U1ModelsTest {
    private static final FieldOptions OPT = FieldOptions.CPU_DOUBLE;

    /** Fine-lattice couplings start at the identity (so an untrained multiscale model + fine flow is the multiscale model). */
    @Test
    void fineFlowStartsAtTheIdentity() {
        try (Rng init = new Rng(43, OPT); Rng rng = new Rng(44, OPT); PointerScope s = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            var arch = new org.gaugeflow.flow.u1.U1FineLatticeFlow.Architecture(3, 6, new int[] {4, 4}, 3);
            var t = U1Models.fineTransform(Lattice.parse("4x4"), arch, OPT, init);
            var x = org.gaugeflow.field.GaugeField.haar(org.gaugeflow.group.U1.INSTANCE, Lattice.parse("4x4"), 2, rng).links();
            var y = t.forward(x, null);
            assertTrue(Tensors.maxAbs(y.value().sub(x)) < 1e-12);
            assertTrue(Tensors.maxAbs(y.logDet()) < 1e-12);
            var flow = U1Models.fineFlow(Lattice.parse("4x4"), arch, OPT, init);
            assertTrue(Tensors.maxAbs(flow.logProb(x)) < 1e-12, "an identity flow on the Haar prior has log q = 0");
        }
    }

    /** The YAML model section builds the model it describes; with a fine flow on top, log q stays consistent. */
    @Test
    void buildsFromTheYamlModelSection() {
        try (Rng init = new Rng(41, OPT); Rng rng = new Rng(42, OPT); PointerScope s = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            MultiscaleModel m = fromYaml("{type: multiscale, coarse: 2x2, scm_layers: 1, scm_hidden: [4], fine_layers: 2, "
                    + "hidden: [4]}", "8x4", init);
            assertEquals(Lattice.parse("8x4"), m.lattice());
            assertEquals(3, m.layers().size());
            assertNotNull(m.fineFlow());
            Sample smp = m.sample(3, rng);
            assertTrue(Tensors.maxAbs(m.logProb(smp.value()).sub(smp.logQ())) < 1e-10);
            assertNull(fromYaml("{type: multiscale, fine_layers: 0}", "4x4", init).fineFlow());
            assertThrows(IllegalArgumentException.class, () -> fromYaml("{type: multiscale, scm_layers: two}", "4x4", init));
            assertThrows(IllegalArgumentException.class, () -> fromYaml("{type: multiscale, group: su3}", "4x4", init));
            assertThrows(IllegalArgumentException.class, () -> fromYaml("{type: multiscale, scm_layer: 2}", "4x4", init));
        }
    }

    /** The model of a YAML {@code model} section, built through the model registry for 2D U(1). */
    private static MultiscaleModel fromYaml(String section, String lattice, Rng init) {
        return (MultiscaleModel) ModelRegistry.build(new Theory(U1.INSTANCE, Lattice.parse(lattice), 1.0),
                ConfigSection.parse("model: " + section, "test").section("model"), OPT, init);
    }
}
