package org.gaugeflow.grid;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.NativeHmcEngine;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.api.Assumptions;

/** Shared set-up of the Grid tests: the skip with its one-line reason, fields. */
final class GridTestSupport {

    private static boolean reasonPrinted;

    private GridTestSupport() {
    }

    /** Skips the calling test when the bridge was not built, printing the reason once per JVM (Maven shows it). */
    static synchronized void assumeGrid() {
        if (!GridBridge.available() && !reasonPrinted) {
            System.out.println("[gaugeflow-grid] Grid tests skipped: " + GridBridge.unavailableReason());
            reasonPrinted = true;
        }
        Assumptions.assumeTrue(GridBridge.available(), () -> "Grid tests skipped: " + GridBridge.unavailableReason());
        TorchRuntime.configure();
    }

    static GaugeField hot(Lattice lattice, long seed) {
        try (Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(new SUN(3), lattice, 1, rng);
            return f.withLinks(f.links().contiguous());
        }
    }

    /**
     * An SU(3) field near equilibrium at beta: a hot start and {@code trajectories} native HMC trajectories (Omelyan,
     * tau 1, 10 steps).
     */
    static GaugeField thermalized(Lattice lattice, double beta, int trajectories, long seed) {
        GaugeField f = hot(lattice, seed);
        try (NativeHmcEngine e = new NativeHmcEngine(seed)) {
            HmcParameters p = new HmcParameters(beta, 1.0, 10, Integrator.OMELYAN);
            for (int k = 0; k < trajectories; k++) {
                try (PointerScope scope = new PointerScope()) {
                    e.trajectory(f, p);
                }
            }
        }
        return f;
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }
}
