package org.gaugeflow.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;

/** Collects observable histories from a chain and compares means with exact values within 4 sigma. */
final class ChainTestSupport {
    private ChainTestSupport() {}

    static final class Recorder implements HybridChain.Listener {
        final int column;
        final long skip;
        final List<Double> values = new ArrayList<>();
        final List<Double> squares = new ArrayList<>();
        final int chargeColumn;

        Recorder(int column, int chargeColumn, long skip) {
            this.column = column;
            this.chargeColumn = chargeColumn;
            this.skip = skip;
        }

        @Override public void onUpdate(UpdateRecord r, ChainState s) {
            if (r.update() <= skip) return;
            values.add(r.observables()[column]);
            if (chargeColumn >= 0) {
                double q = r.observables()[chargeColumn];
                squares.add(q * q);
            }
        }
    }

    static double[] array(List<Double> l) { return l.stream().mapToDouble(Double::doubleValue).toArray(); }

    /** Asserts |mean - exact| <= 4 sigma (sigma with tau_int) and returns the Gamma-method result. */
    static GammaResult assertWithin4Sigma(String what, double[] series, double exact) {
        GammaResult g = GammaMethod.analyze(series);
        String msg = String.format("%s: %.6f +- %.6f (tau_int %.2f, N %d) vs exact %.6f, %.2f sigma", what, g.mean(),
                g.error(), g.tauInt(), g.n(), exact, (g.mean() - exact) / g.error());
        System.out.println(msg);
        assertTrue(g.error() > 0 && Math.abs(g.mean() - exact) <= 4 * g.error(), msg);
        return g;
    }
}
