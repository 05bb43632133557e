package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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

    /** The YAML model section builds the model it describes; with a fine flow on top, log q stays consistent. */
    @Test
    void buildsFromTheYamlModelSection() {
        try (Rng init = new Rng(41, OPT); Rng rng = new Rng(42, OPT); PointerScope s = new PointerScope();
                NoGradGuard g = new NoGradGuard()) {
            MultiscaleModel m = U1Models.fromConfig(Map.of("type", "multiscale", "coarse", "2x2", "scm_layers", 1,
                    "scm_hidden", List.of(4), "fine_layers", 2, "hidden", List.of(4)), Lattice.parse("8x4"), OPT, init);
            assertEquals(Lattice.parse("8x4"), m.lattice());
            assertEquals(3, m.layers().size());
            assertNotNull(m.fineFlow());
            Sample smp = m.sample(3, rng);
            assertTrue(Tensors.maxAbs(m.logProb(smp.value()).sub(smp.logQ())) < 1e-10);
            assertNull(U1Models.fromConfig(Map.of("fine_layers", 0), Lattice.parse("4x4"), OPT, init).fineFlow());
            assertThrows(IllegalArgumentException.class,
                    () -> U1Models.fromConfig(Map.of("scm_layers", "two"), Lattice.parse("4x4"), OPT, init));
            assertThrows(IllegalArgumentException.class,
                    () -> U1Models.fromConfig(Map.of("group", "su3"), Lattice.parse("4x4"), OPT, init));
        }
    }
}
