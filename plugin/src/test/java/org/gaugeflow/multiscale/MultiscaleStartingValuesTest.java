package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * Issue 17, beta independence: examples/u1-8x8-multiscale.yaml at beta = 8 (coarse Wilson prior and every heatbath
 * prior starting at its block coupling, docs/multiscale.md "Starting values"), seed 1, one thread. After 100 training
 * steps the ESS on 4,096 held-out samples (exact log Z) is at least 0.5. With a Haar coarse prior that is out of reach
 * at any training length unless the fine flow on top moves the coarse plaquettes: the ESS ceiling of a Haar 2x2 prior
 * on 8x8 at beta = 8 is 0.38. Measured when written (AMD EPYC, 2 December 2026, 4,096 samples): untrained ESS 0.683,
 * KL 0.450; after 100 steps ESS 0.702, KL 0.313. The untrained model is already there because every layer starts near
 * its exact conditional; the test also requires that training lowers the KL. With {@code coarse_beta: 0,
 * beta_tilde: 1.0} (the example before) the held-out ESS after 100 steps was 0.05 (512 samples). About a minute.
 */
class MultiscaleStartingValuesTest {
    @BeforeAll
    static void oneThread() { org.bytedeco.pytorch.global.torch.set_num_threads(1); }

    @Test
    void exampleAtBeta8ReachesEss05In100Steps() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "u1-8x8-multiscale.yaml"))
                .replace("steps: 500", "steps: 4500").replace("beta: 4.0", "beta: 8.0");
        assertTrue(yaml.contains("coarse_beta: auto") && yaml.contains("beta_tilde: auto"), "the example's starting values changed");
        RunConfig cfg = RunConfig.parse(yaml, "u1-8x8-multiscale.yaml");
        Theory theory = cfg.theory();
        Module model = TrainedModel.build(cfg);
        double[] ess = new double[2];
        double[] kl = new double[2];
        try (ReverseKlTrainer<?> trainer = ReverseKlTrainer.forModel(model, theory, cfg.training())) {
            for (int stage = 0; stage < 2; stage++) {
                if (stage == 1) for (int step = 0; step < 100; step++) trainer.trainStep();
                try (PointerScope scope = new PointerScope(); Rng eval = new Rng(987_654, cfg.options())) {
                    ModelEvaluation e = ModelEvaluation.run((Density) model, theory, 4096, 512, eval);
                    ess[stage] = e.ess();
                    kl[stage] = e.stats().kl(theory.exactLogZ());
                }
            }
        }
        System.out.printf("example at beta = 8: untrained ESS %.3f KL %.3f; after 100 steps ESS %.3f KL %.3f%n", ess[0], kl[0],
                ess[1], kl[1]);
        assertTrue(ess[1] >= 0.5, "ESS after 100 steps " + ess[1] + " (KL " + kl[1] + "): expected >= 0.5");
        assertTrue(kl[1] < kl[0], "training did not lower the KL: " + kl[0] + " -> " + kl[1]);
    }
}
