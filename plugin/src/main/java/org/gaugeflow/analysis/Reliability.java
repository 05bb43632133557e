package org.gaugeflow.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the error bar of a Markov-chain average can be trusted (docs/chains.md, "Reliability"). A result is not
 * reliable, with the first reason that applies, when
 * <ol>
 *   <li>the chain did not move (acceptance 0): every measurement is the start configuration;</li>
 *   <li>there are fewer than 2 measurements, or the error is 0 or not finite (the observable never changed);</li>
 *   <li>the chain accepted fewer than {@value #MIN_MEASUREMENTS_PER_TAU} updates over its measurements (acceptance x
 *   N): it visited that few distinct configurations, so its autocorrelation cannot be estimated from the series (an
 *   independence chain with acceptance 0.009 over 900 measurements gave tau_int 23 and an error bar 180 times too
 *   small, its few states all from the model's far-off bulk);</li>
 *   <li>the Gamma method's window did not close before N/2 (the series is too short to see its autocorrelation);</li>
 *   <li>there are fewer than {@value #MIN_MEASUREMENTS_PER_TAU} tau_int measurements: the error of the error is then
 *   about 50% or more (Wolff 2004, Eq. (43)), and tau_int itself is underestimated;</li>
 *   <li>for an independence chain (judged by the caller, {@code SampleRun}): the flow proposals' importance ratios
 *   have a Pareto tail heavier than {@link ParetoTail#limit(long)}: the chain can only go where q proposes, and q has
 *   not been seen to reach where the target's weight is (a 4D U(1) chain 6.4 sigma off passed the rules above).</li>
 * </ol>
 * A finished chain that is not reliable still ends normally (exit status 0); its summary says
 * {@code "reliable": false} with the reason, a warning goes to the log, and no zero error bar is printed as a result.
 *
 * @param reliable whether the error can be trusted
 * @param reason   why not (null when reliable), e.g. "chain did not move, acceptance 0"
 */
public record Reliability(boolean reliable, String reason) {

    /** Measurements per integrated autocorrelation time below which an error is not reliable. */
    public static final int MIN_MEASUREMENTS_PER_TAU = 20;

    /** The reason given for a chain that accepted nothing. */
    public static final String DID_NOT_MOVE = "chain did not move, acceptance 0";

    private static final Reliability OK = new Reliability(true, null);

    /** A reliable result. */
    public static Reliability ok() {
        return OK;
    }

    /** An unreliable result with its reason. */
    public static Reliability not(String reason) {
        return new Reliability(false, reason);
    }

    /**
     * The verdict on one observable's Gamma-method result ({@code g} may be null when there were too few
     * measurements to analyse); {@code acceptance} is the chain's overall acceptance (NaN when unknown).
     */
    public static Reliability of(GammaResult g, long measurements, double acceptance) {
        if (acceptance == 0.0) return not(DID_NOT_MOVE);
        if (g == null || measurements < 2) return not(measurements + " measurement(s): too few for an error");
        if (!(g.error() > 0) || !Double.isFinite(g.error())) {
            return not("error " + g.error() + ": the observable did not change over " + measurements + " measurements");
        }
        if (acceptance * measurements < MIN_MEASUREMENTS_PER_TAU) {
            return not(String.format(Locale.ROOT, "about %.0f accepted updates over %d measurements (acceptance %.3g): too few "
                    + "distinct configurations for an error", acceptance * measurements, measurements, acceptance));
        }
        if (g.window() >= g.n() / 2) {
            return not(String.format(Locale.ROOT, "the autocorrelation window did not close within N/2 = %d measurements",
                    g.n() / 2));
        }
        if (measurements < MIN_MEASUREMENTS_PER_TAU * g.tauInt()) {
            return not(String.format(Locale.ROOT, "%d measurements < %d tau_int = %.0f (tau_int %.3g)", measurements,
                    MIN_MEASUREMENTS_PER_TAU, MIN_MEASUREMENTS_PER_TAU * g.tauInt(), g.tauInt()));
        }
        return OK;
    }

    /** The reliable-or-not of several named results: reliable when all are, with their reasons otherwise. */
    public static Reliability all(Map<String, Reliability> parts) {
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, Reliability> e : parts.entrySet()) {
            Reliability r = e.getValue();
            if (r.reliable()) continue;
            String text = r.reason().equals(DID_NOT_MOVE) ? r.reason() : e.getKey() + ": " + r.reason();
            if (!reasons.contains(text)) reasons.add(text);
        }
        return reasons.isEmpty() ? OK : not(String.join("; ", reasons));
    }

    /** Adds {@code "reliable"} (and {@code "reason"} when not) to a summary map. */
    public void addTo(Map<String, Object> summary) {
        summary.put("reliable", reliable);
        if (!reliable) summary.put("reason", reason);
    }

    /** {@code {"reliable": ..., "reason": ...}} as a map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        addTo(m);
        return m;
    }

    /**
     * A result as a person reads it: {@code 0.712345 +- 0.000321}, and never a zero error bar:
     * {@code 1.000000 (no error: chain did not move, acceptance 0)}; an unreliable error is marked.
     */
    public String format(double mean, double error) {
        if (!(error > 0) || !Double.isFinite(error)) {
            return String.format(Locale.ROOT, "%.6f (no error: %s)", mean, reliable ? "error " + error : reason);
        }
        String s = String.format(Locale.ROOT, "%.6f +- %.6f", mean, error);
        return reliable ? s : s + " (unreliable: " + reason + ")";
    }
}
