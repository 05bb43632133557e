package org.gaugeflow.example;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gaugeflow.analysis.GammaResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles (by being in this module, which depends on the library artifact alone) and runs the embedding example:
 * its hybrid chain must reproduce the exact 2D U(1) plaquette within 4 sigma, autocorrelations counted.
 */
class EmbeddingExampleTest {

    @Test
    void theLibraryAloneIsOnTheClasspath() {
        for (String cliOnly : new String[] {"picocli.CommandLine", "ch.qos.logback.classic.Logger", "org.knowm.xchart.XYChart",
                "me.tongfei.progressbar.ProgressBar", "org.gaugeflow.cli.Main"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(cliOnly), cliOnly + " is not a library dependency");
        }
    }

    @Test
    void exampleRunsAndItsChainReproducesTheExactPlaquette(@TempDir Path work) throws Exception {
        EmbeddingExample.Result r = EmbeddingExample.run(work);
        GammaResult p = r.plaquette();
        // a chain that never moves has a zero or undefined error: it must not pass
        assertTrue(p.error() > 0 && p.error() < 0.01, "plaquette error " + p.error());
        double pull = (p.mean() - r.exactPlaquette()) / p.error();
        assertTrue(Math.abs(pull) < 4, "plaquette " + p.mean() + " +- " + p.error() + " vs exact " + r.exactPlaquette()
                + " (" + pull + " sigma)");
        assertTrue(r.trainedEss() > 0.05, "ESS after training " + r.trainedEss());
        assertTrue(r.acceptance().getOrDefault("flow", 0.0) > 0.05, "flow acceptance " + r.acceptance());
        assertTrue(r.ildgRoundTrip(), "ILDG round trip through plain arrays");
    }
}
