package org.gaugeflow.model;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.multiscale.UBMode;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * {@code model.type: sun-multiscale}: the SU(N) multiscale model (docs/su3.md): a Haar prior on {@code coarse},
 * doubling layers with SU(N) staple-conditional spectral flows ({@code scm_iterations} each), and
 * {@code fine_iterations} fine-lattice iterations on top (0: none); {@code hidden}, {@code bins} and
 * {@code init_scale} as for {@code sun-flow}. In d = 3, 4 the new perpendicular links of each layer are slices drawn by
 * lower-dimensional slice models (Sec. 4) with staple-conditional models of the same architecture; {@code u_b} (haar,
 * conditional, checkerboard) says how U_B is drawn inside them and {@code slice_coarse} the smallest extent of their
 * coarsest lattices. Defaults: coarse 2x...x2 (the target's dimension), scm_iterations 2, hidden [16, 16], bins 8,
 * init_scale 0, u_b conditional, slice_coarse 2, fine_iterations 1.
 */
final class SUNMultiscaleType implements ModelType {
    @Override public String name() { return "sun-multiscale"; }

    @Override public List<String> keys() {
        return List.of("coarse", "scm_iterations", "hidden", "bins", "init_scale", "u_b", "slice_coarse", "fine_iterations");
    }

    @Override public Module build(Theory theory, ConfigSection m, FieldOptions options, Rng init) {
        SUN g = sun(theory, name());
        Lattice coarse = Lattice.parse(m.text("coarse", allTwos(theory.lattice().dims())));
        int[] hidden = m.int32s("hidden", new int[] {16, 16});
        int bins = m.int32("bins", 8);
        double scale = m.number("init_scale", 0.0);
        int fine = m.int32("fine_iterations", 1);
        return SUNModels.multiscale(g, coarse, theory.lattice(), new SUNModels.Spec(m.int32("scm_iterations", 2), hidden,
                bins, scale, fine > 0 ? new SUNFineLatticeFlow.Architecture(fine, hidden, bins, scale) : null, structure(m)),
                options, init);
    }

    /** "2x2", "2x2x2", "2x2x2x2": the default coarse lattice for a target of dimension d. */
    static String allTwos(int d) { return String.join("x", java.util.Collections.nCopies(d, "2")); }

    /** The keys u_b and slice_coarse of a multiscale model section (docs/multiscale.md, "d dimensions"). */
    static MultiscaleModel.Structure structure(ConfigSection m) {
        UBMode ub;
        try {
            ub = UBMode.parse(m.text("u_b", "conditional"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(m.name("u_b") + " = '" + m.text("u_b") + "': expected haar, conditional or checkerboard");
        }
        int sliceCoarse = m.int32("slice_coarse", 2);
        if (sliceCoarse < 2) throw new IllegalArgumentException(m.name("slice_coarse") + " = " + sliceCoarse + ": expected >= 2");
        return new MultiscaleModel.Structure(ub, sliceCoarse);
    }

    /** Staple-conditional spectral flows on every doubling level (about twice the fine volume) and the fine flow. */
    @Override public ModelFootprint footprint(Theory theory, ConfigSection m) {
        int[] hidden = m.int32s("hidden", new int[] {16, 16});
        int bins = m.int32("bins", 8);
        ModelFootprint levels = SUNFlowType.spectral(theory, Math.max(1, m.int32("scm_iterations", 2)), hidden, bins, 2.0);
        int fine = m.int32("fine_iterations", 1);
        return fine > 0 ? levels.plus(SUNFlowType.spectral(theory, 6 * theory.lattice().dims() * fine, hidden, bins, 1.0))
                : levels;
    }

    static SUN sun(Theory theory, String type) {
        if (!(theory.group() instanceof SUN g)) {
            throw new IllegalArgumentException("theory.group '" + theory.group().name() + "': model.type " + type + " expects su2, su3, ...");
        }
        return g;
    }
}
