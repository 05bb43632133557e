package org.gaugeflow.flow.prior;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Rng;

/**
 * The U(1) Haar prior on every link of a lattice: theta uniform on the circle, independently per link.
 * Densities are with respect to the product of Haar measures normalized to 1 (DESIGN.md), so
 * log q = 0 for every configuration. Samples are GaugeField link tensors [B, d, L_{d-1}..L_0, 1, 1]
 * in the precision and on the device of the Rng; the context is ignored.
 */
public final class HaarU1 implements Density {
    private final Lattice lattice;

    public HaarU1(Lattice lattice) { this.lattice = lattice; }

    public Lattice lattice() { return lattice; }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        if (n < 1) throw new IllegalArgumentException("sample count " + n + ": expected >= 1");
        Tensor links = GaugeField.haar(U1.INSTANCE, lattice, n, rng).links();
        return new Sample(links, torch.zeros(new long[] {n}, rng.options().real()));
    }

    @Override public Tensor logProb(Tensor links, Tensor context) {
        GaugeField f = new GaugeField(U1.INSTANCE, lattice, links); // checks the layout
        return torch.zeros(new long[] {f.batch()}, new org.bytedeco.pytorch.TensorOptions()
                .dtype(new org.bytedeco.pytorch.ScalarTypeOptional(f.precision().realType()))
                .device(new org.bytedeco.pytorch.DeviceOptional(links.device())));
    }
}
