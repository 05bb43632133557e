package org.gaugeflow.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When an error bar of a chain can be trusted, and how a result without one is printed. */
class ReliabilityTest {

    private static double[] ar1(int n, double rho, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 1; i < n; i++) x[i] = rho * x[i - 1] + r.nextGaussian();
        return x;
    }

    @Test
    void verdicts() {
        double[] good = ar1(4000, 0.5, 1);
        assertTrue(Reliability.of(GammaMethod.analyze(good), good.length, 0.7).reliable());

        Reliability stuck = Reliability.of(GammaMethod.analyze(new double[] {1, 1, 1, 1}), 4, 0.0);
        assertFalse(stuck.reliable());
        assertEquals(Reliability.DID_NOT_MOVE, stuck.reason());
        assertEquals("1.000000 (no error: chain did not move, acceptance 0)", stuck.format(1.0, 0.0));

        Reliability constant = Reliability.of(GammaMethod.analyze(new double[] {2, 2, 2}), 3, 0.5);
        assertTrue(!constant.reliable() && constant.reason().contains("did not change"), constant.reason());

        double[] slow = ar1(200, 0.98, 2);   // tau_int ~ 50: far fewer than 20 tau_int measurements
        Reliability r = Reliability.of(GammaMethod.analyze(slow), slow.length, 0.9);
        assertFalse(r.reliable());
        assertTrue(r.reason().contains("tau_int") || r.reason().contains("window"), r.reason());
        assertTrue(r.format(0.5, 0.1).startsWith("0.500000 +- 0.100000 (unreliable: "), r.format(0.5, 0.1));

        assertFalse(Reliability.of(null, 1, Double.NaN).reliable());

        // a chain that rarely moves: the series of its few states looks decorrelated, but there are < 20 of them
        double[] few = new double[900];
        Random rnd = new Random(3);
        double level = 0.07;
        for (int i = 0; i < few.length; i++) {
            if (i % 100 == 0) level = 0.07 + 0.01 * rnd.nextGaussian();
            few[i] = level + 1e-4 * rnd.nextGaussian();
        }
        Reliability rare = Reliability.of(GammaMethod.analyze(few), few.length, 0.009);
        assertFalse(rare.reliable());
        assertTrue(rare.reason().contains("accepted updates"), rare.reason());
        assertTrue(Reliability.of(GammaMethod.analyze(good), good.length, Double.NaN).reliable(), "unknown acceptance: no verdict from it");
    }

    @Test
    void allCombinesTheReasons() {
        Map<String, Reliability> m = new LinkedHashMap<>();
        m.put("plaquette", Reliability.not(Reliability.DID_NOT_MOVE));
        m.put("q2", Reliability.not(Reliability.DID_NOT_MOVE));
        m.put("chi", Reliability.not("error 0.0: the observable did not change over 10 measurements"));
        Reliability all = Reliability.all(m);
        assertEquals(Reliability.DID_NOT_MOVE + "; chi: error 0.0: the observable did not change over 10 measurements", all.reason());
        assertTrue(Reliability.all(Map.of("p", Reliability.ok())).reliable());
        Map<String, Object> summary = new LinkedHashMap<>();
        all.addTo(summary);
        assertEquals(false, summary.get("reliable"));
    }
}
