package org.gaugeflow.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gaugeflow.experiments.Demo;
import org.gaugeflow.flow.Density;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.TorchHmcEngine;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2D U(1), 8x8, beta = 2 (docs/reference-values.md: <cos phi_P> = 0.6977746580, <Q^2> = 1.23929891) with a trained
 * multiscale model (2x2 Haar prior, four doubling layers with Eq. (6) heatbath staple-conditional models,
 * beta-tilde trained by `gaugeflow train` for a few seconds): independence Metropolis and a hybrid chain each
 * reproduce the exact plaquette and <Q^2> within 4 sigma, sigma including tau_int.
 */
class TrainedMultiscaleChainTest {
    static final Lattice LATTICE = new Lattice(8, 8);
    static final double BETA = 2.0;
    static final double EXACT_PLAQUETTE = 0.6977746580;
    static final double EXACT_Q2 = 1.23929891;
    static Density model;

    /** The demo's model, trained by `gaugeflow train` for 150 steps (about 10 s of CPU). */
    @BeforeAll
    static void train(@TempDir Path dir) throws Exception {
        model = Demo.trainModel(dir.resolve("model"), LATTICE, BETA, 150, 1, null).density();
    }

    @Test
    void independenceMetropolisReproducesExactValues() throws Exception {
        HybridChain.Builder b = new HybridChain.Builder().theory(U1.INSTANCE, LATTICE, BETA)
                .schedule(Schedule.independence()).seed(101).proposalBatch(256)
                .model(model, FieldOptions.CPU_DOUBLE, "multiscale", "test");
        try (HybridChain chain = b.build()) {
            ChainTestSupport.Recorder rec = new ChainTestSupport.Recorder(0, 1, 0);
            chain.run(8000, rec);
            double acc = chain.state().acceptance(UpdateKind.FLOW);
            System.out.println("independence Metropolis 8x8 beta=2 acceptance " + acc);
            assertTrue(acc > 0.3, "acceptance " + acc);
            ChainTestSupport.assertWithin4Sigma("IM plaquette 8x8", ChainTestSupport.array(rec.values), EXACT_PLAQUETTE);
            ChainTestSupport.assertWithin4Sigma("IM Q^2 8x8", ChainTestSupport.array(rec.squares), EXACT_Q2);
        }
    }

    @Test
    void hybridChainReproducesExactValues() throws Exception {
        HybridChain.Builder b = new HybridChain.Builder().theory(U1.INSTANCE, LATTICE, BETA)
                .schedule(new Schedule(1, 3)).seed(202).proposalBatch(256)
                .hmc(new TorchHmcEngine(202, FieldOptions.CPU_DOUBLE), new HmcParameters(BETA, 1.0, 8, Integrator.OMELYAN))
                .model(model, FieldOptions.CPU_DOUBLE, "multiscale", "test");
        try (HybridChain chain = b.build()) {
            ChainTestSupport.Recorder rec = new ChainTestSupport.Recorder(0, 1, 0);
            chain.run(6000, rec);
            System.out.printf("hybrid 8x8 beta=2 acceptance hmc %.3f flow %.3f%n", chain.state().acceptance(UpdateKind.HMC),
                    chain.state().acceptance(UpdateKind.FLOW));
            assertTrue(chain.state().acceptance(UpdateKind.FLOW) > 0.3);
            ChainTestSupport.assertWithin4Sigma("hybrid plaquette 8x8", ChainTestSupport.array(rec.values), EXACT_PLAQUETTE);
            ChainTestSupport.assertWithin4Sigma("hybrid Q^2 8x8", ChainTestSupport.array(rec.squares), EXACT_Q2);
        }
    }
}
