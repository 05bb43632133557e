package org.gaugeflow.flow.prior;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Rng;

/**
 * The Haar measure on every link of a lattice: each link independently Haar-distributed on the group. Densities
 * are relative to the product of normalized Haar measures (docs/conventions.md, "Densities"), so log q = 0 for
 * every configuration. It is the coarse prior of a multiscale model (Sec. 3), the prior of a fine-lattice flow,
 * and an exact model-free proposal for Markov chains. Values are link tensors [B, d, L_{d-1}..L_0, N, N] in the
 * precision and on the device of the Rng; the context is ignored.
 */
public final class HaarDensity implements Density {
    private final GaugeGroup group;
    private final Lattice lattice;

    public HaarDensity(GaugeGroup group, Lattice lattice) {
        this.group = group;
        this.lattice = lattice;
    }

    public GaugeGroup group() { return group; }

    public Lattice lattice() { return lattice; }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        if (n < 1) throw new IllegalArgumentException("sample count " + n + ": expected >= 1");
        GaugeField f = GaugeField.haar(group, lattice, n, rng);
        return new Sample(f.links(), torch.zeros(new long[] {n}, rng.options().real()));
    }

    @Override public Tensor logProb(Tensor links, Tensor context) {
        GaugeField f = new GaugeField(group, lattice, links);   // checks the layout
        return torch.zeros(new long[] {f.batch()}, torch.real(links).options());
    }
}
