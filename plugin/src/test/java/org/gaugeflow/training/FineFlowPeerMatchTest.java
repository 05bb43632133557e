package org.gaugeflow.training;

import org.gaugeflow.analysis.ReweightingStats;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The U(1) fine-lattice flow learns per step at least as fast as the peer implementation (neumc) with the same
 * architecture, batch, optimizer and number of steps (issue 17: it used to learn about half as fast).
 *
 * <p>Configuration, both sides: 2D U(1) 8x8 at beta = 2, 8 gauge-equivariant coupling layers, circular splines
 * with 8 bins and a rotation, context CNN hidden [16, 16] with 3x3 kernels, uniform (Haar) prior, batch 256,
 * Adam with a constant learning rate 1e-3, no gradient clipping, float32, 200 steps, reparameterized (pathwise)
 * gradient; then the exact KL divergence (with the exact log Z) from 4,096 fresh samples.
 *
 * <p>The peer's reference: neumc (github:nmcmc/neumc, PyTorch 1.13 from Debian, one thread), its
 * {@code make_u1_equiv_layers} with {@code CSCoupling} (9 knots) and {@code make_conv_net([16, 16])}, its
 * {@code RTEstimator}, seeds 1-4, measured on 2 December 2026 with a scratch driver outside the repository
 * (docs/results.md, "Fine-lattice flow: learning per step"). Its KL after 200 steps: see {@link #PEER_KL}.
 */
class FineFlowPeerMatchTest {
    /** neumc's exact KL after 200 steps, seeds 1-4 (4,096 fresh samples each). */
    static final double[] PEER_KL = {3.3394, 3.3112, 3.4249, 3.4004};

    @BeforeAll
    static void oneThread() { org.bytedeco.pytorch.global.torch.set_num_threads(1); }

    @Test
    void learnsAtLeastAsFastPerStepAsThePeer() {
        Lattice lat = Lattice.parse("8x8");
        FieldOptions o = FieldOptions.cpu(Precision.FLOAT);
        double logZ = ExactU1TwoD.logZ(2.0, 64);
        double peerMean = java.util.Arrays.stream(PEER_KL).average().orElseThrow();
        double[] ours = new double[2];
        for (int seed = 1; seed <= ours.length; seed++) {
            U1FineLatticeFlow m;
            try (Rng init = new Rng(seed, o)) {
                m = new U1FineLatticeFlow(lat, new U1FineLatticeFlow.Architecture(8, 8, new int[] {16, 16}, 3), o, init);
            }
            TrainingConfig cfg = new TrainingConfig(256, 200, new LearningRateSchedule("constant", 1e-3, 1e-3, 1, 1), 0.0,
                    seed, o, 10, GradientEstimator.REPARAMETERIZED);
            try (ReverseKlTrainer<U1FineLatticeFlow> t = new ReverseKlTrainer<>(m, new Theory(U1.INSTANCE, lat, 2.0), cfg);
                 Rng eval = new Rng(1000 + seed, o)) {
                for (int i = 0; i < 200; i++) t.trainStep();
                ReweightingStats s = t.evaluate(4096, 1024, eval).stats();
                ours[seed - 1] = s.kl(logZ);
                System.out.printf("fine flow vs neumc, seed %d: KL %.3f ESS %.4f (neumc KL mean %.3f over %d seeds)%n",
                        seed, ours[seed - 1], s.ess(), peerMean, PEER_KL.length);
            }
        }
        double mean = java.util.Arrays.stream(ours).average().orElseThrow();
        assertTrue(mean <= peerMean, "mean KL after 200 steps " + mean + ": expected <= neumc's " + peerMean);
    }
}
