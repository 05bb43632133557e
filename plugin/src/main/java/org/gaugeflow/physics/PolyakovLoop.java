package org.gaugeflow.physics;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.tensor.Tensors;

/**
 * The Polyakov loop: P(x) = (1/N) Tr prod_{t=0}^{L_{d-1}-1} U_{d-1}(x + t e_{d-1}), the product of the links
 * along the last direction (time) that winds once around the lattice, averaged over the spatial sites x.
 * Gauge invariant; complex in general.
 */
public final class PolyakovLoop {
    private PolyakovLoop() {}

    /** The spatially averaged Polyakov loop per configuration, a complex tensor of shape [B]. */
    public static Tensor average(GaugeField f) {
        int d = f.lattice().dims();
        int time = d - 1;
        Tensor line = WilsonLoop.line(f, time, f.lattice().extent(time));
        // every t gives the same trace (a cyclic permutation); take the t = 0 slice (tensor dim 1)
        Tensor tr = Tensors.trace(line.select(GaugeField.siteDim(d, time), 0));
        return tr.flatten(1, -1).mean(new long[] {1}).div(new Scalar((double) f.group().n()));
    }
}
