package org.gaugeflow.model;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * {@code model.type: u1-flow}: the U(1) fine-lattice flow alone (Haar prior, gauge-equivariant spline couplings;
 * docs/training.md). Keys and defaults: {@code layers: 16, bins: 8, hidden: [32, 32], kernel: 3}.
 */
final class U1FlowType implements ModelType {
    @Override public String name() { return "u1-flow"; }

    @Override public List<String> keys() { return List.of("layers", "bins", "hidden", "kernel"); }

    @Override public Module build(Theory theory, ConfigSection m, FieldOptions options, Rng init) {
        if (theory.group() != U1.INSTANCE) throw new IllegalArgumentException("theory.group '" + theory.group().name() + "': model.type u1-flow expects u1");
        return new U1FineLatticeFlow(theory.lattice(), new U1FineLatticeFlow.Architecture(m.int32("layers", 16),
                m.int32("bins", 8), m.int32s("hidden", new int[] {32, 32}), m.int32("kernel", 3)), options, init);
    }

    /** Coupling layers with a context CNN over the plaquettes (cos, sin per plane) and 3K + 1 spline outputs per link. */
    @Override public ModelFootprint footprint(Theory theory, ConfigSection m) {
        return fine(theory, m.int32("layers", 16), m.int32("bins", 8), m.int32s("hidden", new int[] {32, 32}),
                m.int32("kernel", 3));
    }

    static ModelFootprint fine(Theory theory, int layers, int bins, int[] hidden, int kernel) {
        int d = theory.lattice().dims();
        double planes = d * (d - 1) / 2.0;
        return ModelFootprint.couplings(layers, 2 * planes, hidden, d * (3.0 * bins + 1), kernel, 1.0);
    }
}
