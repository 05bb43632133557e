package org.gaugeflow.flow.sun;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.flow.CompositeTransform;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.FlowDensity;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * The fine-lattice SU(N) flow: the Haar prior on every link pushed through gauge-equivariant spectral
 * coupling layers (Eq. (1)). One iteration of direction and location updates (Abbott et al. 2023) is, in 2D,
 * 8 direction updates (for each ordered plane (mu, nu), the four mask offsets of {@link SUNCouplingLayer.Kind#PLAQUETTE})
 * and 4 location updates (for each mu, the two parities of {@link SUNCouplingLayer.Kind#STAPLES}): 8 + 4 = 12
 * layers, as the paper's SU(3) fine-lattice flow. Each iteration updates every link three times.
 * Samples and {@code logProb} arguments are link tensors [B, d, L_{d-1}..L_0, N, N]. Construct outside any
 * PointerScope (it owns its parameters).
 */
public final class SUNFineLatticeFlow extends Module implements Density {

    /** Architecture: iterations of the 12-layer block, hidden widths and spline bins of the spectral flows. */
    public record Architecture(int iterations, int[] hidden, int bins, double initScale) {
        public Architecture {
            if (iterations < 1) throw new IllegalArgumentException("model.iterations = " + iterations + ": expected >= 1");
            if (bins < 2) throw new IllegalArgumentException("model.bins = " + bins + ": expected >= 2");
            hidden = hidden.clone();
        }
    }

    private final Lattice lattice;
    private final CompositeTransform transform;
    private final FlowDensity density;

    public SUNFineLatticeFlow(SUN group, Lattice lattice, Architecture arch, FieldOptions options, Rng init) {
        this.lattice = lattice;
        this.transform = couplings(group, lattice, arch, options, init);
        this.density = register_module("density", new FlowDensity(new HaarDensity(group, lattice), transform));
    }

    /** The coupling layers of {@code arch.iterations()} direction-and-location iterations, as one transform. */
    public static CompositeTransform couplings(SUN group, Lattice lattice, Architecture arch, FieldOptions options,
            Rng init) {
        List<SUNCouplingLayer> layers = new ArrayList<>();
        int k = 0;
        for (int it = 0; it < arch.iterations(); it++) {
            for (int mu = 0; mu < 2; mu++) {
                int nu = 1 - mu;
                for (int off = 0; off < 4; off++) {
                    layers.add(new SUNCouplingLayer(group, lattice, SUNCouplingLayer.Kind.PLAQUETTE, mu, nu, off & 1,
                            off >> 1, arch.hidden(), arch.bins(), k++, arch.initScale(), options, init));
                }
            }
            for (int mu = 0; mu < 2; mu++) {
                for (int parity = 0; parity < 2; parity++) {
                    layers.add(new SUNCouplingLayer(group, lattice, SUNCouplingLayer.Kind.STAPLES, mu, 1 - mu, 0, parity,
                            arch.hidden(), arch.bins(), k++, arch.initScale(), options, init));
                }
            }
        }
        return new CompositeTransform(layers);
    }

    public Lattice lattice() { return lattice; }

    public CompositeTransform transform() { return transform; }

    @Override public Sample sample(long n, Rng rng, Tensor context) { return density.sample(n, rng, context); }

    @Override public Tensor logProb(Tensor links, Tensor context) { return density.logProb(links, context); }
}
