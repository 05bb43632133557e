package org.gaugeflow.multiscale;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Rng;

/**
 * The uniform (Haar) coarse prior of a multiscale model (Sec. 3): every link of the coarse lattice is
 * Haar-distributed, log q = 0. Values are link tensors [B, d, L_{d-1}, ..., L_0, N, N].
 */
public final class CoarseHaarPrior implements Density {
    private final GaugeGroup group;
    private final Lattice lattice;

    public CoarseHaarPrior(GaugeGroup group, Lattice lattice) {
        this.group = group;
        this.lattice = lattice;
    }

    public GaugeGroup group() { return group; }

    public Lattice lattice() { return lattice; }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        GaugeField f = GaugeField.haar(group, lattice, n, rng);
        return new Sample(f.links(), torch.zeros(new long[] {n}, rng.options().real()));
    }

    @Override public Tensor logProb(Tensor links, Tensor context) {
        GaugeField f = new GaugeField(group, lattice, links);   // checks the layout
        return torch.zeros(new long[] {f.batch()}, torch.real(links).options());
    }
}
