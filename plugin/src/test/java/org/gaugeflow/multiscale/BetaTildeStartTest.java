package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.ModelRegistry;
import org.gaugeflow.physics.BlockCoupling;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.junit.jupiter.api.Test;

/** {@code beta_tilde: auto}: the block coupling of each doubling layer (docs/multiscale.md). */
class BetaTildeStartTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    /** I_1/I_0 at a few points, against independent values (Abramowitz and Stegun, Table 9.8). */
    @Test
    void besselRatioAgreesWithTables() {
        assertEquals(0.4463899658, BlockCoupling.besselRatio(1.0), 1e-9);  // I1(1) = 0.5651591040, I0(1) = 1.2660658778
        assertEquals(0.6977746579, BlockCoupling.besselRatio(2.0), 1e-9);  // I1(2) = 1.5906368546, I0(2) = 2.2795853023
        assertEquals(0.0, BlockCoupling.besselRatio(0.0), 0.0);
    }

    /** beta_n solves I_1/I_0(beta_n) = (I_1/I_0(beta))^n; n = 1 is beta; weak coupling gives beta / n. */
    @Test
    void blockCouplingSolvesItsEquation() {
        for (double beta : new double[] {0.5, 1, 4, 8, 30}) {
            assertEquals(beta, BlockCoupling.of(beta, 1), 1e-12 * beta);
            for (long n : new long[] {2, 4, 8, 16}) {
                double bn = BlockCoupling.of(beta, n);
                assertEquals(Math.pow(BlockCoupling.besselRatio(beta), n), BlockCoupling.besselRatio(bn), 1e-12, beta + " " + n);
                assertTrue(bn < beta, beta + " " + n + ": " + bn);
            }
        }
        // I_1/I_0(x) = 1 - 1/(2x) - 1/(8x^2) + ...: beta_n = beta / n + O(1) (25.38 for beta = 100, n = 4)
        assertEquals(100.0 / 4, BlockCoupling.of(100, 4), 0.5);
    }

    /** The starting values of a built 8x8 model: beta_8, beta_4, beta_2 and beta for the layers to 4x2, 4x4, 8x4, 8x8. */
    @Test
    void autoStartsEachLayerAtItsBlockCoupling() {
        double beta = 6.0;
        Theory theory = new Theory(U1.INSTANCE, Lattice.parse("8x8"), beta);
        MultiscaleModel m = build(theory, "auto");
        List<DoublingLayer> layers = m.layers();
        assertEquals(4, layers.size());
        long[] n = {8, 4, 2, 1};
        for (int i = 0; i < 4; i++) {
            double start = ((U1StapleConditionalModel) layers.get(i).perpendicular()).prior().betaTilde().item_double();
            double expected = n[i] == 1 ? beta : BlockCoupling.of(beta, n[i]);
            assertEquals(expected, start, 1e-12, "layer " + i + " to " + layers.get(i).fineLattice());
        }
        assertEquals(beta, ((U1StapleConditionalModel) layers.get(3).perpendicular()).prior().betaTilde().item_double(), 1e-12);
        // a number is used everywhere
        MultiscaleModel fixed = build(theory, "2.5");
        for (DoublingLayer l : fixed.layers()) {
            assertEquals(2.5, ((U1StapleConditionalModel) l.perpendicular()).prior().betaTilde().item_double(), 0.0);
        }
    }

    /** In d > 2 (no exact block coupling) every heatbath prior starts at beta. */
    @Test
    void autoIsBetaAboveTwoDimensions() {
        BetaTildeStart auto = new BetaTildeStart.Auto(1.5, Lattice.parse("4x4x4x4"));
        for (StapleConditionalFactory.Role r : StapleConditionalFactory.Role.values()) {
            assertEquals(1.5, auto.at(r, Lattice.parse("2x2x2")), 0.0);
            assertEquals(1.5, auto.at(r, Lattice.parse("4x2x2x2")), 0.0);
        }
    }

    /** {@code coarse_beta: auto} puts a coarse Wilson prior at the block coupling of a coarse plaquette (n = 16 on 8x8). */
    @Test
    void coarseBetaAutoIsTheBlockCouplingOfTheCoarsePlaquette() {
        Theory theory = new Theory(U1.INSTANCE, Lattice.parse("8x8"), 8.0);
        MultiscaleModel m = build(theory, "auto, coarse_beta: auto");
        U1CoarseWilsonPrior prior = (U1CoarseWilsonPrior) m.coarsePrior();
        assertEquals(BlockCoupling.of(8.0, 16), prior.beta(), 1e-12);
        assertEquals(0.7297, prior.beta(), 1e-3);   // I_1/I_0(beta_c) = (I_1/I_0(8))^16 = 0.343
        assertEquals(1.25, ((U1CoarseWilsonPrior) build(theory, "1.0, coarse_beta: 1.25").coarsePrior()).beta(), 0.0);
        assertTrue(!(build(theory, "1.0").coarsePrior() instanceof U1CoarseWilsonPrior), "the default is Haar");
        Theory fourD = new Theory(U1.INSTANCE, Lattice.parse("4x4x4x4"), 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(fourD, "1.0, coarse_beta: auto"));
        assertEquals("config test.yaml: model.coarse_beta = auto on 4x4x4x4: the coarse Wilson prior is two-dimensional;"
                + " expected 0 (Haar)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build(theory, "1.0, coarse_beta: cold"));
        assertEquals("config test.yaml: model.coarse_beta = 'cold': expected a number or auto", e.getMessage());
    }

    @Test
    void badValuesAreOneLineErrors() {
        Theory theory = new Theory(U1.INSTANCE, Lattice.parse("4x4"), 2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(theory, "hot"));
        assertEquals("config test.yaml: model.beta_tilde = 'hot': expected a number or auto", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> build(new Theory(U1.INSTANCE, Lattice.parse("4x4"), 0.0), "auto"));
        assertTrue(e.getMessage().contains("beta_tilde auto expects a coupling in (0, 200]"), e.getMessage());
    }

    static MultiscaleModel build(Theory theory, String betaTilde) {
        String yaml = "model: {type: multiscale, scm_layers: 1, scm_hidden: [4], fine_layers: 0, beta_tilde: " + betaTilde + "}";
        try (Rng init = new Rng(1, F64)) {
            Module m = ModelRegistry.build(theory, ConfigSection.parse(yaml, "test.yaml").section("model"), F64, init);
            return (MultiscaleModel) m;
        }
    }
}
