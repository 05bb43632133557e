package org.gaugeflow.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.HmcProduction;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grid as an HMC engine behind {@link HmcEngines} (found through the SPI): production runs (what {@code gaugeflow hmc
 * --engine grid} does) reproduce the native engine's plaquette on SU(3) 4^4 at beta = 6 within 4 sigma, errors with
 * autocorrelations (Gamma method); the chain around Grid (history, ILDG output, seeds) is gaugeflow's.
 */
class GridHmcEngineTest {

    @TempDir Path tmp;

    @BeforeEach
    void grid() {
        GridTestSupport.assumeGrid();
    }

    static HmcProduction.Result run(Path out, String engine, long seed, int therm, int trajectories, Integrator integrator,
            int saveEvery) throws Exception {
        HmcParameters p = new HmcParameters(6.0, 1.0, 10, integrator);
        return HmcProduction.run(new HmcProduction.Settings(out, new SUN(3), new Lattice(4, 4, 4, 4), p, engine, seed, "cold", 1,
                therm, trajectories, FieldOptions.CPU_DOUBLE, 1000, saveEvery), null);
    }

    @Test
    void gridIsARegisteredEngine() {
        assertTrue(HmcEngines.names().contains("grid"), HmcEngines.names().toString());
        assertTrue(HmcEngines.available("grid", new SUN(3), FieldOptions.CPU_DOUBLE));
        try (HmcEngine e = HmcEngines.create("grid", 1, new SUN(3), new Lattice(4, 4, 4, 4), null, FieldOptions.CPU_DOUBLE)) {
            assertEquals("grid", e.name());
        }
        IllegalArgumentException u1 = assertThrows(IllegalArgumentException.class,
                () -> HmcEngines.create("grid", 1, U1.INSTANCE, FieldOptions.CPU_DOUBLE));
        assertTrue(u1.getMessage().contains("su3"), u1.getMessage());
        IllegalArgumentException twoD = assertThrows(IllegalArgumentException.class,
                () -> HmcEngines.create("grid", 1, new SUN(3), new Lattice(8, 8), null, FieldOptions.CPU_DOUBLE));
        assertTrue(twoD.getMessage().startsWith("engine grid: ") && twoD.getMessage().contains("4D"), twoD.getMessage());
        HmcParameters fg = new HmcParameters(6.0, 1.0, 4, Integrator.FORCE_GRADIENT);
        IllegalArgumentException nativeFg = assertThrows(IllegalArgumentException.class,
                () -> HmcEngines.create("native", 1, new SUN(3), new Lattice(4, 4, 4, 4), fg, FieldOptions.CPU_DOUBLE));
        assertTrue(nativeFg.getMessage().contains("force-gradient"), nativeFg.getMessage());
    }

    /** SU(3) 4^4, beta = 6: Grid's trajectories reproduce the native engine's plaquette within 4 sigma. */
    @Test
    void gridReproducesTheNativePlaquette() throws Exception {
        long t0 = System.nanoTime();
        HmcProduction.Result grid = run(tmp.resolve("grid"), "grid", 3, 50, 400, Integrator.OMELYAN, 100);
        double gridSeconds = (System.nanoTime() - t0) * 1e-9;
        HmcProduction.Result nat = run(tmp.resolve("native"), "native", 4, 50, 400, Integrator.OMELYAN, 0);
        GammaResult g = grid.summary().plaquette();
        GammaResult n = nat.summary().plaquette();
        double sigma = Math.hypot(g.error(), n.error());
        String msg = String.format("plaquette grid %.5f +- %.5f (tau_int %.2f), native %.5f +- %.5f (tau_int %.2f); "
                        + "acceptance grid %.3f native %.3f; grid %.1f s", g.mean(), g.error(), g.tauInt(), n.mean(), n.error(),
                n.tauInt(), grid.summary().acceptance(), nat.summary().acceptance(), gridSeconds);
        System.out.println("[GridHmcEngineTest] " + msg);
        assertEquals(n.mean(), g.mean(), 4 * sigma, msg);
        assertTrue(sigma > 0 && sigma < 0.006, "errors too large to test: " + msg);
        assertTrue(grid.summary().acceptance() > 0.7, msg);
        assertEquals(1.0, grid.summary().expMinusDeltaH().mean(), 4 * grid.summary().expMinusDeltaH().error(), "<exp(-dH)>: " + msg);
        // the chain around Grid is ours: ILDG files every 100 trajectories, read back with the history's plaquette
        Path configs = tmp.resolve("grid").resolve("configs");
        try (Stream<Path> files = Files.list(configs)) {
            assertEquals(4, files.count());
        }
        assertTrue(Files.readString(tmp.resolve("grid").resolve(HmcProduction.SUMMARY)).contains("\"engine\" : \"grid\""));
    }

    /** The same seed gives the same history (Grid's generators are seeded per trajectory from the seed). */
    @Test
    void sameSeedSameHistory() throws Exception {
        run(tmp.resolve("a"), "grid", 8, 0, 6, Integrator.LEAPFROG, 0);
        run(tmp.resolve("b"), "grid", 8, 0, 6, Integrator.LEAPFROG, 0);
        assertEquals(Files.readAllLines(tmp.resolve("a").resolve(HmcProduction.HISTORY)),
                Files.readAllLines(tmp.resolve("b").resolve(HmcProduction.HISTORY)));
    }

    /** Grid's force-gradient integrator through the engine: a short run with high acceptance. */
    @Test
    void forceGradientRuns() throws Exception {
        HmcProduction.Result r = run(tmp.resolve("fg"), "grid", 5, 5, 20, Integrator.FORCE_GRADIENT, 0);
        assertTrue(r.summary().acceptance() > 0.8, "acceptance " + r.summary().acceptance());
        assertTrue(Files.readString(tmp.resolve("fg").resolve(HmcProduction.SUMMARY)).contains("force-gradient"));
    }
}
