package org.gaugeflow.hmc;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/** Shared set-up of the HMC tests. */
final class HmcTestSupport {

    private HmcTestSupport() {
    }

    static GaugeField hotField(String group, Lattice lattice, int batch, long seed) {
        try (Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(GaugeGroup.parse(group), lattice, batch, rng);
            return f.withLinks(f.links().contiguous());
        }
    }

    static GaugeField copy(GaugeField f) {
        return f.withLinks(f.links().contiguous().clone());
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    /** An engine by name through the registry; the caller closes it. */
    static HmcEngine engine(String name, long seed) {
        return HmcEngines.create(name, seed, new org.gaugeflow.group.SUN(3), FieldOptions.CPU_DOUBLE);
    }
}
