package org.gaugeflow.hmc;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.U1;
import org.gaugeflow.physics.TopologicalCharge;
import org.gaugeflow.tensor.Tensors;

/**
 * Runs thermalization and measurement trajectories of an {@link HmcEngine} on a batch of chains and
 * records one {@link Row} per trajectory and chain. A non-finite Delta H, or |Delta H| above the
 * bound, stops the run with an {@link HmcInstabilityException} (the integrator blew up).
 */
public final class HmcRun {

    /** One trajectory of one chain; charge is NaN unless the field is 2D U(1). */
    public record Row(long trajectory, int chain, boolean thermalization, double deltaH, boolean accepted,
                      double plaquette, double charge) {
    }

    /** Callback after every trajectory of all chains: k is its index, field the chains' state after it. */
    public interface Listener {
        void afterTrajectory(long k, long total, double acceptance, GaugeField field);
    }

    private final HmcEngine engine;
    private final HmcParameters params;
    private final double maxAbsDeltaH;

    public HmcRun(HmcEngine engine, HmcParameters params, double maxAbsDeltaH) {
        if (!(maxAbsDeltaH > 0)) {
            throw new IllegalArgumentException("max-dh = " + maxAbsDeltaH + ": expected a number > 0");
        }
        this.engine = engine;
        this.params = params;
        this.maxAbsDeltaH = maxAbsDeltaH;
    }

    /** Whether the history records the topological charge (2D U(1) only). */
    public static boolean hasCharge(GaugeField field) {
        return hasCharge(field.group(), field.lattice());
    }

    /** Whether the history of {@code group} on {@code lattice} records the topological charge (2D U(1) only). */
    public static boolean hasCharge(org.gaugeflow.group.GaugeGroup group, org.gaugeflow.lattice.Lattice lattice) {
        return group instanceof U1 && lattice.dims() == 2;
    }

    /**
     * Trajectory {@code k} of every chain, in place on {@code field}: one row per chain (with the topological charge
     * for 2D U(1)). A non-finite or too large Delta H throws {@link HmcInstabilityException}.
     */
    public List<Row> trajectory(GaugeField field, long k, boolean thermalization) {
        boolean charge = hasCharge(field);
        List<Row> rows = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            Trajectory[] t = engine.trajectory(field, params);
            double[] q = charge ? Tensors.toArray(TopologicalCharge.u1TwoDimensional(field)) : null;
            for (int b = 0; b < t.length; b++) {
                double dh = t[b].deltaH();
                if (!Double.isFinite(dh) || Math.abs(dh) > maxAbsDeltaH) {
                    throw new HmcInstabilityException(String.format(
                            "integrator unstable at trajectory %d (chain %d): Delta H = %s, expected |Delta H| <= %s "
                                    + "(max-dh); reduce the step size tau/steps = %s", k, b, dh, maxAbsDeltaH,
                            params.stepSize()));
                }
                rows.add(new Row(k, b, thermalization, dh, t[b].accepted(), t[b].plaquette(), charge ? q[b] : Double.NaN));
            }
        }
        return rows;
    }

    /** Runs {@code thermalization} then {@code trajectories} trajectories from trajectory 0; the rows of all. */
    public List<Row> run(GaugeField field, int thermalization, int trajectories, Listener listener) {
        if (thermalization < 0) {
            throw new IllegalArgumentException("therm = " + thermalization + ": expected >= 0");
        }
        if (trajectories < 1) {
            throw new IllegalArgumentException("trajectories = " + trajectories + ": expected >= 1");
        }
        long total = (long) thermalization + trajectories;
        List<Row> rows = new ArrayList<>();
        long accepted = 0;
        long count = 0;
        for (long k = 0; k < total; k++) {
            List<Row> t = trajectory(field, k, k < thermalization);
            for (Row r : t) {
                accepted += r.accepted() ? 1 : 0;
                count++;
            }
            rows.addAll(t);
            if (listener != null) {
                listener.afterTrajectory(k, total, (double) accepted / count, field);
            }
        }
        return rows;
    }
}
