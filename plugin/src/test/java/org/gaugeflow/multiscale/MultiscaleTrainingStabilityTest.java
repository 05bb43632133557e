package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.flow.Density;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.training.ModelEvaluation;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.RunConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, regressions: the model of examples/u1-8x8-multiscale.yaml as it was when it collapsed (8x8, Haar 2x2 coarse
 * prior, four doubling layers with heatbath prior starting at beta-tilde 1.0 + 2 loop couplings, 4-layer fine-lattice
 * flow on top; the example now starts from {@code coarse_beta: auto, beta_tilde: auto}), trained as {@code gaugeflow train}
 * does (batch 64, Adam, lr 0.003 cosine to 0.0003 over the stated schedule, clip 10, seed 1, float64). At fixed
 * intervals the KL divergence (exact log Z) is estimated on 4,096 fresh samples from an independent stream (the same
 * stream each time); it must never rise more than 0.5 above its best so far.
 *
 * <p>Two collapses, two causes, one test each:
 * <ul>
 *   <li>beta = 4 (140 steps of a 3900-step schedule): loop couplings acting at full strength where their phase
 *       arg(sum_i alpha_i S_i) is undefined. Before that fix the run had pre-clipping gradient norms of 500-1000 from
 *       single samples and the held-out KL went 0.57 (step 100), 1.08 (120), 2.13 (140), 3.2 (160), 9.4 (180); the full
 *       run stayed at KL 10-13. After it (512-sample estimates): 2.37, 0.89, 0.82, 0.53, 0.49, 0.47, 0.52. With the
 *       seam at the antipode (next item) the early training takes another path: 2.81, 1.42, 1.15, 0.79, 0.76, 1.16,
 *       0.52, a transient rise of 0.40 at step 120 without any gradient spike (with 512 samples it read 0.49, which
 *       is why the estimate now uses 4,096).
 *   <li>beta = 6 (1000 steps of a 4500-step schedule): the loop couplings' spline had its seam (the fixed point
 *       0 = 2 pi) at the heatbath prior's mode arg P = 0. The gradient norm exceeded 100 before clipping in 131 of
 *       steps 101-1000 and the held-out KL (4,096 samples, same training trajectory) went 0.59 (step 600) to 2.38
 *       (1000), 8.5 (1093) and stayed there. With the seam at the antipode (arg P + pi) the same steps have 6 such
 *       spikes and the held-out KL reads 1.46, 1.16, 0.93, 1.09, 0.90, 0.81, 0.64, 0.70, 0.65, 0.72 (steps 100-1000).
 *       This case also bounds the spikes: at most 30 of steps 101-1000 above 100.
 * </ul>
 * Both together take about 2.5 minutes on one thread.
 */
class MultiscaleTrainingStabilityTest {
    private static final long EVAL_SAMPLES = 4096;
    private static final double MARGIN = 0.5;

    @BeforeAll
    static void oneThread() { org.bytedeco.pytorch.global.torch.set_num_threads(1); }

    @Test
    void beta4HeldOutKlNeverRisesAboveItsBestByMoreThanTheMargin() throws Exception {
        train(4.0, 3900, 140, 20);
    }

    @Test
    void beta6HeldOutKlStaysNearItsBestAndGradientSpikesStayRare() throws Exception {
        int spikes = train(6.0, 4500, 1000, 100);
        assertTrue(spikes <= 30, spikes + " of steps 101-1000 had a gradient norm above 100 before clipping; expected at most 30");
    }

    /**
     * Trains the example at {@code beta} with a {@code schedule}-step cosine rate for {@code steps} steps, checking the
     * held-out KL every {@code every} steps; returns the number of steps after the first 100 whose gradient norm before
     * clipping exceeded 100.
     */
    private static int train(double beta, long schedule, int steps, int every) throws Exception {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", "u1-8x8-multiscale.yaml"));
        // the configuration that collapsed: Haar coarse prior, every beta-tilde starting at 1.0
        String yaml = example.replace("steps: 500", "steps: " + schedule).replace("beta: 4.0", "beta: " + beta)
                .replace("beta_tilde: auto", "beta_tilde: 1.0").replace("coarse_beta: auto", "coarse_beta: 0");
        assertTrue(!yaml.contains(": auto"), "the example's starting values are no longer 'auto': update this test");
        RunConfig cfg = RunConfig.parse(yaml, "u1-8x8-multiscale.yaml");
        assertTrue(cfg.training().steps() == schedule && cfg.theory().beta() == beta, "the example's settings: " + cfg.training());
        Theory theory = cfg.theory();
        double logZ = theory.exactLogZ();
        Module model = TrainedModel.build(cfg);                      // init stream seed + 1, as gaugeflow train
        StringBuilder log = new StringBuilder();
        double best = Double.POSITIVE_INFINITY;
        double maxGrad = 0;
        int spikes = 0;
        try (ReverseKlTrainer<?> trainer = ReverseKlTrainer.forModel(model, theory, cfg.training())) {
            for (int step = 1; step <= steps; step++) {
                double norm = trainer.trainStep().gradNorm();
                maxGrad = Math.max(maxGrad, norm);
                if (step > 100 && norm > 100) spikes++;
                if (step % every != 0) continue;
                double kl;
                try (PointerScope scope = new PointerScope(); Rng eval = new Rng(987_654, cfg.options())) {
                    kl = ModelEvaluation.run((Density) model, theory, EVAL_SAMPLES, 512, eval).stats().kl(logZ);
                }
                best = Math.min(best, kl);
                log.append(String.format(" %d: %.3f", step, kl));
                assertTrue(kl <= best + MARGIN, "beta = " + beta + ": held-out KL rose more than " + MARGIN + " above its best "
                        + best + " (steps: KL)" + log + "; max gradient norm before clipping " + maxGrad);
            }
        }
        System.out.println("beta = " + beta + ": held-out KL (steps: KL)" + log + "; max gradient norm before clipping "
                + maxGrad + "; steps after 100 with norm > 100: " + spikes);
        return spikes;
    }
}
