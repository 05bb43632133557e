package org.gaugeflow.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.tensor.FieldOptions;
import org.junit.jupiter.api.Test;

class IndependenceMetropolisTest {

    private static HybridChain.Builder u1(Lattice lat, double beta) {
        return new HybridChain.Builder().theory(U1.INSTANCE, lat, beta).schedule(Schedule.independence());
    }

    /** Haar proposals (log q = 0) at small beta: an exact chain whose plaquette and <Q^2> match the exact values. */
    @Test
    void haarProposalsReproduceExactPlaquetteAndTopology() throws Exception {
        Lattice lat = new Lattice(4, 4);
        double beta = 0.5;
        ExactU1TwoD exact = new ExactU1TwoD(beta, 16);
        HybridChain.Builder b = u1(lat, beta).seed(7).proposalBatch(512)
                .model(new HaarDensity(U1.INSTANCE, lat), FieldOptions.CPU_DOUBLE, "haar", "none");
        try (HybridChain chain = b.build()) {
            ChainTestSupport.Recorder rec = new ChainTestSupport.Recorder(0, 1, 100);
            chain.run(30_000, rec);
            double acc = chain.state().acceptance(UpdateKind.FLOW);
            System.out.println("Haar independence Metropolis 4x4 beta=0.5 acceptance " + acc);
            assertTrue(acc > 0.2 && acc < 0.9, "acceptance " + acc);
            ChainTestSupport.assertWithin4Sigma("plaquette", ChainTestSupport.array(rec.values), exact.plaquette());
            ChainTestSupport.assertWithin4Sigma("Q^2", ChainTestSupport.array(rec.squares), exact.topologicalChargeSquared());
        }
    }

    /** A non-trivial exact flow (theta -> theta + a sin theta) gives the right answer too. */
    @Test
    void tiltedProposalReproducesExactPlaquette() throws Exception {
        Lattice lat = new Lattice(4, 4);
        double beta = 0.5;
        ExactU1TwoD exact = new ExactU1TwoD(beta, 16);
        HybridChain.Builder b = u1(lat, beta).seed(8).proposalBatch(512)
                .model(new TiltedU1Proposal(lat, 0.3, false), FieldOptions.CPU_DOUBLE, "tilted", "none");
        try (HybridChain chain = b.build()) {
            assertTrue(chain.consistency().passed());
            ChainTestSupport.Recorder rec = new ChainTestSupport.Recorder(0, 1, 100);
            chain.run(20_000, rec);
            ChainTestSupport.assertWithin4Sigma("plaquette (tilted)", ChainTestSupport.array(rec.values), exact.plaquette());
        }
    }

    /** A model whose sample's log q disagrees with its logProb is refused before any update. */
    @Test
    void brokenModelIsRefused() {
        Lattice lat = new Lattice(4, 4);
        HybridChain.Builder b = u1(lat, 1.0).seed(9)
                .model(new TiltedU1Proposal(lat, 0.3, true), FieldOptions.CPU_DOUBLE, "broken", "none");
        InconsistentModelException e = assertThrows(InconsistentModelException.class, b::build);
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
        // the same model without the bug passes, with a deviation at rounding level
        ModelConsistencyCheck.Result ok = ModelConsistencyCheck.run(new TiltedU1Proposal(lat, 0.3, false),
                FieldOptions.CPU_DOUBLE, 4, 1);
        assertTrue(ok.passed() && ok.maxDeviation() < 1e-10, "deviation " + ok.maxDeviation());
    }

    @Test
    void settingsAreChecked() {
        Lattice lat = new Lattice(4, 4);
        assertThrows(IllegalArgumentException.class, () -> u1(lat, 1.0).build()); // flow updates, no model
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, 0));
        assertEquals(UpdateKind.HMC, new Schedule(2, 3).kind(1));
        assertEquals(UpdateKind.FLOW, new Schedule(2, 3).kind(2));
        assertEquals(UpdateKind.HMC, new Schedule(2, 3).kind(5));
    }
}
