package org.gaugeflow.hmc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;

/**
 * Statistics of the measurement trajectories of an {@link HmcRun}: each observable is averaged over
 * the independent chains at every trajectory (which keeps tau_int and divides the variance by the
 * number of chains), then analysed with the {@link GammaMethod}.
 */
public final class HmcSummary {

    private final List<HmcRun.Row> measured;
    private final int chains;
    private final int length;

    public HmcSummary(List<HmcRun.Row> rows) {
        this.measured = rows.stream().filter(r -> !r.thermalization()).toList();
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("no measurement trajectories to analyse");
        }
        this.chains = 1 + measured.stream().mapToInt(HmcRun.Row::chain).max().orElse(0);
        this.length = measured.size() / chains;
    }

    /** Per-trajectory average over chains of an observable. */
    public double[] series(ToDoubleFunction<HmcRun.Row> observable) {
        double[] s = new double[length];
        for (int i = 0; i < length * chains; i++) {
            s[i / chains] += observable.applyAsDouble(measured.get(i)) / chains;
        }
        return s;
    }

    public GammaResult plaquette() {
        return GammaMethod.analyze(series(HmcRun.Row::plaquette));
    }

    /** Creutz: <exp(-Delta H)> = 1 in equilibrium. */
    public GammaResult expMinusDeltaH() {
        return GammaMethod.analyze(series(r -> Math.exp(-r.deltaH())));
    }

    public GammaResult chargeSquared() {
        return GammaMethod.analyze(series(r -> r.charge() * r.charge()));
    }

    public double acceptance() {
        return measured.stream().filter(HmcRun.Row::accepted).count() / (double) measured.size();
    }

    /** Measurement trajectories (the length of each averaged series). */
    public int length() {
        return length;
    }

    public boolean hasCharge() {
        return !Double.isNaN(measured.get(0).charge());
    }

    /** {mean, error, tau_int, tau_int_error, window} for JSON. */
    public static Map<String, Object> json(GammaResult g, boolean withTau) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", g.mean());
        m.put("error", g.error());
        if (withTau) {
            m.put("tau_int", g.tauInt());
            m.put("tau_int_error", g.tauIntError());
            m.put("window", g.window());
        }
        return m;
    }
}
