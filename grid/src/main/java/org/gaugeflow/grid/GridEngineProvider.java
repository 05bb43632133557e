package org.gaugeflow.grid;

import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcEngineProvider;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;

/**
 * Adds the engine {@code grid} ({@link GridHmcEngine}) to {@link HmcEngines} through {@link java.util.ServiceLoader}
 * (listed in META-INF/services). Available when the bridge was built and loads; SU(3), CPU, 4D lattices that Grid's
 * SIMD layout can split; otherwise {@code --engine grid} is refused with the one-line reason.
 */
public final class GridEngineProvider implements HmcEngineProvider {

    /** For ServiceLoader. */
    public GridEngineProvider() {
    }

    @Override public String name() {
        return "grid";
    }

    @Override public HmcEngines.Factory factory() {
        return new HmcEngines.Factory() {
            @Override public String unavailable(GaugeGroup group, FieldOptions options) {
                if (!GridBridge.available()) return GridBridge.unavailableReason();
                String why = GridHmcEngine.unsupported(group, null);
                if (why != null) return why;
                if (options != null && options.isCuda()) return "it runs on the CPU, not on " + options.device();
                return null;
            }

            @Override public HmcEngine create(long seed, FieldOptions options) {
                return new GridHmcEngine(seed);
            }

            @Override public String unsupported(Lattice lattice, HmcParameters params) {
                return lattice == null ? null : GridLattice.unsupported(lattice.extents());
            }
        };
    }
}
