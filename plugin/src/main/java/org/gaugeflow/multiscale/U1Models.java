package org.gaugeflow.multiscale;

import java.util.ArrayList;
import java.util.List;
import org.gaugeflow.flow.CompositeTransform;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.u1.CouplingMask;
import org.gaugeflow.flow.u1.U1CouplingLayer;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.flow.u1.U1LinkFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * Builders of the U(1) models of Sec. 3.2: the multiscale model (Haar coarse prior, doubling layers with
 * {@link U1StapleConditionalModel}s, optional fine-lattice flow of gauge-equivariant couplings on top) and, for
 * comparison, the fine-lattice flow alone ({@link U1FineLatticeFlow}).
 */
public final class U1Models {
    private U1Models() {}

    /**
     * Architecture of the U(1) multiscale model.
     *
     * @param scmLayers  coupling layers per staple-conditional model
     * @param scmBins    spline bins of those couplings
     * @param scmHidden  hidden widths of their spline-parameter MLPs
     * @param betaTilde  initial beta-tilde of the heatbath prior (Eq. (6))
     * @param fine       the fine-lattice flow on top, or null for none
     */
    public record Spec(int scmLayers, int scmBins, int[] scmHidden, double betaTilde, U1FineLatticeFlow.Architecture fine) {
        public Spec {
            if (scmLayers < 0) throw new IllegalArgumentException("model.scm_layers = " + scmLayers + ": expected >= 0");
            if (scmBins < 2) throw new IllegalArgumentException("model.scm_bins = " + scmBins + ": expected >= 2");
            if (!Double.isFinite(betaTilde)) {
                throw new IllegalArgumentException("model.beta_tilde = " + betaTilde + ": expected a finite number");
            }
            scmHidden = scmHidden.clone();
        }
    }

    /** The multiscale model from {@code coarse} (Haar) to {@code target}; weights drawn from {@code init}. */
    public static MultiscaleModel multiscale(Lattice coarse, Lattice target, Spec spec, FieldOptions options, Rng init) {
        Transform fine = spec.fine() == null ? null : fineTransform(target, spec.fine(), options, init);
        return MultiscaleModel.withHaarPrior(U1.INSTANCE, coarse, target,
                (lat, mu) -> new U1StapleConditionalModel(2, spec.scmLayers(), spec.scmBins(), spec.scmHidden(),
                        spec.betaTilde(), options, init), fine);
    }

    /** The fine-lattice flow alone on {@code target}: a Haar prior and gauge-equivariant couplings. */
    public static U1FineLatticeFlow fineFlow(Lattice target, U1FineLatticeFlow.Architecture arch, FieldOptions options,
            Rng init) {
        return new U1FineLatticeFlow(target, arch, options, init);
    }

    /** The couplings of a fine-lattice flow as a transform on link tensors (to put on top of a multiscale model). */
    public static Transform fineTransform(Lattice target, U1FineLatticeFlow.Architecture arch, FieldOptions options,
            Rng init) {
        List<U1CouplingLayer> layers = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) {
            layers.add(new U1CouplingLayer(target, CouplingMask.cycle(i, target.dims()), arch.bins(), arch.hidden(),
                    arch.kernel(), options, init));
        }
        return new U1LinkFlow(new CompositeTransform(layers));
    }
}
