package org.gaugeflow.multiscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
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

    /**
     * The multiscale model described by the {@code model:} section of a training YAML (docs/multiscale.md), e.g.
     * {@code {type: multiscale, coarse: 2x2, scm_layers: 2, scm_bins: 8, scm_hidden: [16, 16], beta_tilde: 1.0,
     * fine_layers: 4, bins: 8, hidden: [8, 8], kernel: 3}}; missing keys take those values. The target lattice comes
     * from the training configuration.
     */
    public static MultiscaleModel fromConfig(Map<String, ?> model, Lattice target, FieldOptions options, Rng init) {
        for (String key : model.keySet()) {
            if (!CONFIG_KEYS.contains(key)) {
                throw new IllegalArgumentException("model." + key + ": unknown key; expected one of " + CONFIG_KEYS);
            }
        }
        Object group = model.get("group");
        if (group != null && !String.valueOf(group).equalsIgnoreCase("u1")) {
            throw new IllegalArgumentException("model.group = " + group + ": expected u1 for a U(1) multiscale model");
        }
        Lattice coarse = Lattice.parse(String.valueOf(model.containsKey("coarse") ? model.get("coarse") : "2x2"));
        int fineLayers = intOf(model, "fine_layers", 4);
        U1FineLatticeFlow.Architecture fine = fineLayers > 0
                ? new U1FineLatticeFlow.Architecture(fineLayers, intOf(model, "bins", 8), intsOf(model, "hidden", new int[] {8, 8}),
                        intOf(model, "kernel", 3))
                : null;
        Spec spec = new Spec(intOf(model, "scm_layers", 2), intOf(model, "scm_bins", 8),
                intsOf(model, "scm_hidden", new int[] {16, 16}), doubleOf(model, "beta_tilde", 1.0), fine);
        return multiscale(coarse, target, spec, options, init);
    }

    private static final List<String> CONFIG_KEYS = List.of("type", "group", "coarse", "scm_layers", "scm_bins",
            "scm_hidden", "beta_tilde", "fine_layers", "bins", "hidden", "kernel");

    private static int intOf(Map<String, ?> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model." + key + " = " + v + ": expected an integer");
        }
    }

    private static double doubleOf(Map<String, ?> m, String key, double dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model." + key + " = " + v + ": expected a number");
        }
    }

    private static int[] intsOf(Map<String, ?> m, String key, int[] dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof List<?> list)) throw new IllegalArgumentException("model." + key + " = " + v + ": expected a list of integers");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = intOf(Map.of(key, list.get(i)), key, 0);
        return out;
    }

    /** The multiscale model from {@code coarse} (Haar) to {@code target}; weights drawn from {@code init}. */
    public static MultiscaleModel multiscale(Lattice coarse, Lattice target, Spec spec, FieldOptions options, Rng init) {
        Transform fine = spec.fine() == null ? null : fineTransform(target, spec.fine(), options, init);
        return MultiscaleModel.withHaarPrior(U1.INSTANCE, coarse, target,
                (lat, mu) -> new U1StapleConditionalModel(2, spec.scmLayers(), spec.scmBins(), spec.scmHidden(),
                        spec.betaTilde(), options, init), fine);
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
