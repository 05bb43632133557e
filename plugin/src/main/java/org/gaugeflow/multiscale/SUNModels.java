package org.gaugeflow.multiscale;

import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * Builders of the SU(N) models of Sec. 3.2: the multiscale model (Haar coarse prior, doubling layers with
 * {@link SUNStapleConditionalModel}s, optional small fine-lattice flow on top) and the fine-lattice flow alone.
 */
public final class SUNModels {
    private SUNModels() {}

    /**
     * @param scmIterations (alpha, spectral flow) iterations per staple-conditional model
     * @param hidden        hidden widths of the spectral flows' context networks
     * @param bins          spline bins
     * @param initScale     scale of the networks' last layers at start (0: Haar / identity)
     * @param fine          the fine-lattice flow on top, or null for none
     * @param structure     d > 2: U_B inside slice models and the slice models' coarsest extent
     */
    public record Spec(int scmIterations, int[] hidden, int bins, double initScale, SUNFineLatticeFlow.Architecture fine,
            MultiscaleModel.Structure structure) {
        public Spec {
            if (scmIterations < 1) throw new IllegalArgumentException("model.scm_iterations = " + scmIterations + ": expected >= 1");
            if (bins < 2) throw new IllegalArgumentException("model.bins = " + bins + ": expected >= 2");
            if (structure == null) structure = MultiscaleModel.Structure.DEFAULT;
            hidden = hidden.clone();
        }

        /** The default structure for d > 2 (conditional U_B, slices down to extent 2). */
        public Spec(int scmIterations, int[] hidden, int bins, double initScale, SUNFineLatticeFlow.Architecture fine) {
            this(scmIterations, hidden, bins, initScale, fine, MultiscaleModel.Structure.DEFAULT);
        }
    }

    /**
     * The multiscale model from {@code coarse} (Haar) to {@code target} in any dimension d >= 2 (for d > 2 with slice
     * models, {@link MultiscaleModel#build}); network weights from {@code init} ({@link org.gaugeflow.flow.WeightInit}).
     * Construct outside any PointerScope.
     */
    public static MultiscaleModel multiscale(SUN group, Lattice coarse, Lattice target, Spec spec, FieldOptions options,
            Rng init) {
        Transform fine = spec.fine() == null ? null : SUNFineLatticeFlow.couplings(group, target, spec.fine(), options, init);
        return MultiscaleModel.build(group, coarse, target, spec.structure(), factory(group, spec, options, init), fine);
    }

    /** SU(N) staple-conditional spectral flows of the spec's architecture, with as many staples as each place needs. */
    public static StapleConditionalFactory factory(SUN group, Spec spec, FieldOptions options, Rng init) {
        return (role, lattice, staples) -> new SUNStapleConditionalModel(group, staples, spec.scmIterations(), spec.hidden(),
                spec.bins(), spec.initScale(), options, init);
    }

    /** The fine-lattice flow alone on {@code target}. */
    public static SUNFineLatticeFlow fineFlow(SUN group, Lattice target, SUNFineLatticeFlow.Architecture arch,
            FieldOptions options, Rng init) {
        return new SUNFineLatticeFlow(group, target, arch, options, init);
    }
}
