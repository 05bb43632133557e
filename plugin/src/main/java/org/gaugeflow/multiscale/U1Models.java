package org.gaugeflow.multiscale;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.gaugeflow.flow.CompositeTransform;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.prior.HaarDensity;
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
     * @param scmLayers  coupling layers per staple-conditional model (every one: U_perp, slice coarse priors, U_B)
     * @param scmBins    spline bins of those couplings
     * @param scmHidden  hidden widths of their spline-parameter MLPs
     * @param betaTilde  where the learned beta-tilde of each heatbath prior (Eq. (6)) starts
     * @param fine       the fine-lattice flow on top, or null for none
     * @param structure  d > 2: U_B inside slice models and the slice models' coarsest extent
     * @param coarseBeta beta_c of the coarse prior, a 2D Wilson theory ({@link U1CoarseWilsonPrior}); 0 is Haar (any d)
     */
    public record Spec(int scmLayers, int scmBins, int[] scmHidden, BetaTildeStart betaTilde,
            U1FineLatticeFlow.Architecture fine, MultiscaleModel.Structure structure, double coarseBeta) {
        public Spec {
            if (!(coarseBeta >= 0) || coarseBeta > 200) {
                throw new IllegalArgumentException("model.coarse_beta = " + coarseBeta + ": expected a coupling in [0, 200] or auto");
            }
            if (scmLayers < 0) throw new IllegalArgumentException("model.scm_layers = " + scmLayers + ": expected >= 0");
            if (scmBins < 2) throw new IllegalArgumentException("model.scm_bins = " + scmBins + ": expected >= 2");
            if (betaTilde == null) throw new IllegalArgumentException("model.beta_tilde: expected a number or auto");
            if (structure == null) structure = MultiscaleModel.Structure.DEFAULT;
            scmHidden = scmHidden.clone();
        }

        /** One starting beta-tilde everywhere. */
        public Spec(int scmLayers, int scmBins, int[] scmHidden, double betaTilde, U1FineLatticeFlow.Architecture fine,
                MultiscaleModel.Structure structure) {
            this(scmLayers, scmBins, scmHidden, new BetaTildeStart.Fixed(betaTilde), fine, structure, 0.0);
        }

        /** One starting beta-tilde everywhere, the default structure for d > 2 (conditional U_B, slices down to extent 2). */
        public Spec(int scmLayers, int scmBins, int[] scmHidden, double betaTilde, U1FineLatticeFlow.Architecture fine) {
            this(scmLayers, scmBins, scmHidden, betaTilde, fine, MultiscaleModel.Structure.DEFAULT);
        }
    }

    /**
     * The multiscale model from {@code coarse} (Haar, or the coarse Wilson prior where {@code coarseBeta > 0}) to
     * {@code target} in any dimension d >= 2 (for d > 2 with slice models, {@link MultiscaleModel#build}); weights drawn
     * from {@code init}. Construct outside any PointerScope.
     */
    public static MultiscaleModel multiscale(Lattice coarse, Lattice target, Spec spec, FieldOptions options, Rng init) {
        Density prior = spec.coarseBeta() == 0 ? new HaarDensity(U1.INSTANCE, coarse)
                : new U1CoarseWilsonPrior(coarse, spec.coarseBeta());
        Transform fine = spec.fine() == null ? null : fineTransform(target, spec.fine(), options, init);
        return MultiscaleModel.build(U1.INSTANCE, prior, coarse, target, spec.structure(), factory(spec, options, init), fine);
    }

    /** U(1) staple-conditional flows of the spec's architecture, with as many staples as each place needs. */
    public static StapleConditionalFactory factory(Spec spec, FieldOptions options, Rng init) {
        return (role, lattice, staples) -> new U1StapleConditionalModel(staples, spec.scmLayers(), spec.scmBins(),
                spec.scmHidden(), spec.betaTilde().at(role, lattice), options, init);
    }

    /**
     * The fine-lattice flow alone on {@code target}: a Haar prior and gauge-equivariant couplings, each starting at
     * the identity (as the couplings on top of a multiscale model do).
     */
    public static U1FineLatticeFlow fineFlow(Lattice target, U1FineLatticeFlow.Architecture arch, FieldOptions options,
            Rng init) {
        return startAtIdentity(new U1FineLatticeFlow(target, arch, options, init), arch);
    }

    /**
     * Zeroes the last layer of every coupling's context network: all-zero spline parameters are the identity map
     * ({@link org.gaugeflow.flow.spline.CircularSpline}), so the flow starts as the identity and a multiscale model
     * with a fine flow on top starts as the multiscale model alone. The hidden layers keep their random weights.
     */
    static <M extends Module> M startAtIdentity(M flow, U1FineLatticeFlow.Architecture arch) {
        String last = "conv" + arch.hidden().length + "_";
        try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
            StringTensorDict named = flow.named_parameters();
            int zeroed = 0;
            for (long i = 0; i < named.size(); i++) {
                String name = named.get(i).key().getString();
                String leaf = name.substring(name.lastIndexOf('.') + 1);
                if (leaf.startsWith(last)) {
                    named.get(i).access().zero_();
                    zeroed++;
                }
            }
            if (zeroed != 2 * arch.layers()) {
                throw new IllegalStateException("expected " + 2 * arch.layers() + " last-layer tensors, found " + zeroed);
            }
        }
        return flow;
    }

    /** The couplings of a fine-lattice flow as a transform on link tensors (to put on top of a multiscale model). */
    public static Transform fineTransform(Lattice target, U1FineLatticeFlow.Architecture arch, FieldOptions options,
            Rng init) {
        List<U1CouplingLayer> layers = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) {
            layers.add(new U1CouplingLayer(target, CouplingMask.cycle(i, target.dims()), arch.bins(), arch.hidden(),
                    arch.kernel(), options, init));
        }
        return startAtIdentity(new U1LinkFlow(new CompositeTransform(layers)), arch);
    }
}
