package org.gaugeflow.flow.u1;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.flow.CompositeTransform;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.FlowDensity;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The fine-lattice U(1) flow: the Haar prior on every link pushed through gauge-equivariant coupling
 * layers (Eq. (1)); the paper uses 48 layers with circular rational-quadratic splines. Samples and
 * {@code logProb} arguments are GaugeField link tensors [B, d, L_{d-1}..L_0, 1, 1]. Construct it outside
 * any PointerScope (it owns its parameters).
 */
public final class U1FineLatticeFlow extends Module implements Density {

    /** Architecture: number of layers, spline bins K, hidden channels of the context network, kernel size. */
    public record Architecture(int layers, int bins, int[] hidden, int kernel) {
        public Architecture {
            if (layers < 1) throw new IllegalArgumentException("model.layers = " + layers + ": expected >= 1");
            if (bins < 2) throw new IllegalArgumentException("model.bins = " + bins + ": expected >= 2");
            hidden = hidden.clone();
        }
    }

    private final Lattice lattice;
    private final Architecture arch;
    private final FlowDensity density;
    private final List<U1CouplingLayer> layers;

    public U1FineLatticeFlow(Lattice lattice, Architecture arch, FieldOptions options, Rng init) {
        this.lattice = lattice;
        this.arch = arch;
        List<U1CouplingLayer> ls = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) {
            ls.add(new U1CouplingLayer(lattice, CouplingMask.cycle(i, lattice.dims()), arch.bins(), arch.hidden(),
                    arch.kernel(), options, init));
        }
        this.layers = List.copyOf(ls);
        this.density = register_module("density", new FlowDensity(new HaarDensity(U1.INSTANCE, lattice), new U1LinkFlow(new CompositeTransform(ls))));
    }

    public Lattice lattice() { return lattice; }

    public Architecture architecture() { return arch; }

    public List<U1CouplingLayer> layers() { return layers; }

    public FlowDensity flowDensity() { return density; }

    @Override public Sample sample(long n, Rng rng, Tensor context) { return density.sample(n, rng, context); }

    @Override public Tensor logProb(Tensor links, Tensor context) { return density.logProb(links, context); }
}
