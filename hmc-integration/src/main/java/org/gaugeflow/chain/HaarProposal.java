package org.gaugeflow.chain;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The Haar measure as a proposal density: every link Haar-random, log q = 0 (densities are relative to
 * the normalized Haar measure, DESIGN.md). An exact, model-free proposal; useful at small beta and volume
 * and as a reference.
 */
public final class HaarProposal implements Density {
    private final GaugeGroup group;
    private final Lattice lattice;
    private final FieldOptions options;

    public HaarProposal(GaugeGroup group, Lattice lattice, FieldOptions options) {
        this.group = group;
        this.lattice = lattice;
        this.options = options;
    }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        Tensor links = GaugeField.haar(group, lattice, n, rng).links();
        return new Sample(links, torch.zeros(new long[] {n}, options.real()));
    }

    @Override public Tensor logProb(Tensor x, Tensor context) {
        return torch.zeros(new long[] {x.sizes().at(0)}, options.real());
    }
}
