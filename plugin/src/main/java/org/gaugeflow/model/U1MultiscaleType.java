package org.gaugeflow.model;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.BetaTildeStart;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.physics.BlockCoupling;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * {@code model.type: multiscale}: the U(1) multiscale model of Sec. 3 (docs/multiscale.md): a Haar prior on
 * {@code coarse} (or, in 2D, a Wilson theory at {@code coarse_beta}, a number or {@code auto}), doubling layers with
 * U(1) staple-conditional models ({@code scm_layers} loop couplings of {@code scm_bins} bins and MLP widths
 * {@code scm_hidden} on a heatbath prior starting at {@code beta_tilde}, a number or {@code auto}) and a fine-lattice
 * flow of {@code fine_layers} couplings ({@code bins}, {@code hidden}, {@code kernel}) on top. In d = 3, 4 the new
 * perpendicular links of each layer are slices drawn by lower-dimensional slice models (Sec. 4) whose
 * staple-conditional models have the same architecture; {@code u_b} (haar, conditional, checkerboard) says how U_B is
 * drawn inside them and {@code slice_coarse} the smallest extent of their coarsest lattices.
 * Defaults: coarse 2x...x2 (the target's dimension), coarse_beta 0, scm_layers 2, scm_bins 8, scm_hidden [16, 16],
 * beta_tilde 1.0, u_b conditional, slice_coarse 2, fine_layers 4, bins 8, hidden [8, 8], kernel 3.
 */
final class U1MultiscaleType implements ModelType {
    @Override public String name() { return "multiscale"; }

    @Override public List<String> keys() {
        return List.of("group", "coarse", "scm_layers", "scm_bins", "scm_hidden", "beta_tilde", "coarse_beta", "u_b", "slice_coarse",
                "fine_layers", "bins", "hidden", "kernel");
    }

    @Override public Module build(Theory theory, ConfigSection m, FieldOptions options, Rng init) {
        if (theory.group() != U1.INSTANCE) {
            throw new IllegalArgumentException("theory.group '" + theory.group().name() + "': model.type multiscale expects u1 (sun-multiscale for SU(N))");
        }
        String group = m.text("group", "u1");
        if (!group.equalsIgnoreCase("u1")) throw new IllegalArgumentException(m.name("group") + " = " + group + ", expected u1");
        Lattice coarse = Lattice.parse(m.text("coarse", SUNMultiscaleType.allTwos(theory.lattice().dims())));
        int fineLayers = m.int32("fine_layers", 4);
        U1FineLatticeFlow.Architecture fine = fineLayers > 0
                ? new U1FineLatticeFlow.Architecture(fineLayers, m.int32("bins", 8), m.int32s("hidden", new int[] {8, 8}),
                        m.int32("kernel", 3))
                : null;
        U1Models.Spec spec = new U1Models.Spec(m.int32("scm_layers", 2), m.int32("scm_bins", 8),
                m.int32s("scm_hidden", new int[] {16, 16}), betaTilde(theory, m), fine,
                SUNMultiscaleType.structure(m), coarseBeta(theory, coarse, m));
        return U1Models.multiscale(coarse, theory.lattice(), spec, options, init);
    }

    /**
     * {@code coarse_beta}: beta_c of the coarse Wilson prior (2D only), a number (0: Haar, the default) or {@code auto},
     * the block coupling of a coarse plaquette ({@link BlockCoupling}, n = target volume / coarse volume).
     */
    static double coarseBeta(Theory theory, Lattice coarse, ConfigSection m) {
        String text = m.text("coarse_beta", "0");
        int d = theory.lattice().dims();
        double beta;
        if (text.equalsIgnoreCase("auto")) {
            beta = BlockCoupling.of(theory.beta(), Math.max(1, theory.lattice().volume() / coarse.volume()));
        } else {
            try {
                beta = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw m.error(m.name("coarse_beta") + " = '" + text + "': expected a number or auto");
            }
        }
        if (!(beta >= 0) || beta > 200) throw m.error(m.name("coarse_beta") + " = " + text + ": expected a coupling in [0, 200] or auto");
        if (beta > 0 && d != 2) {
            throw m.error(m.name("coarse_beta") + " = " + text + " on " + theory.lattice() + ": the coarse Wilson prior is two-dimensional; expected 0 (Haar)");
        }
        return beta;
    }

    /** {@code beta_tilde}: a number, or {@code auto} for the block coupling of each layer ({@link BetaTildeStart.Auto}). */
    static BetaTildeStart betaTilde(Theory theory, ConfigSection m) {
        String text = m.text("beta_tilde", "1.0");
        try {
            return BetaTildeStart.parse(text, theory.beta(), theory.lattice());
        } catch (IllegalArgumentException e) {
            throw m.error(e.getMessage());
        }
    }

    /**
     * Staple-conditional loop couplings (MLPs per link) on every doubling level (together about twice the fine
     * volume) and the fine-lattice flow on top.
     */
    @Override public ModelFootprint footprint(Theory theory, ConfigSection m) {
        int d = theory.lattice().dims();
        int scm = m.int32("scm_layers", 2);
        int scmBins = m.int32("scm_bins", 8);
        ModelFootprint levels = ModelFootprint.couplings(Math.max(1, scm), 8.0 * d, m.int32s("scm_hidden", new int[] {16, 16}),
                d * (3.0 * scmBins + 1), 1, 2.0);
        int fine = m.int32("fine_layers", 4);
        return fine > 0 ? levels.plus(U1FlowType.fine(theory, fine, m.int32("bins", 8), m.int32s("hidden", new int[] {8, 8}),
                m.int32("kernel", 3))) : levels;
    }
}
