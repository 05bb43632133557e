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
 * The fine-lattice SU(N) flow on a d-dimensional lattice (d >= 2, every extent even): the Haar prior on every
 * link pushed through gauge-equivariant spectral coupling layers (Eq. (1)). One iteration of direction and
 * location updates (Abbott et al. 2023) is
 * <ul>
 *   <li>{@link #directionLayers(int) 4 d (d - 1)} direction updates: for each ordered plane (mu, nu), the four
 *   (x_mu, x_nu) parities of {@link SUNCouplingLayer.Kind#PLAQUETTE}; each link U_mu(x) is updated once per
 *   nu != mu, d - 1 times;</li>
 *   <li>{@link #locationLayers(int) d 2^min(2, d-1)} location updates: for each mu, the masks of
 *   {@link SUNCouplingLayer.Kind#STAPLES} (two parities in 2D, four in d >= 3), which partition the sites, so each
 *   link is updated once;</li>
 * </ul>
 * 8 + 4 = 12 layers in 2D and 48 + 16 = 64 in 4D, the paper's counts; 24 + 12 = 36 in 3D. Every link is updated
 * d times per iteration. Masks and reasoning: docs/su3.md. Samples and {@code logProb} arguments are link
 * tensors [B, d, L_{d-1}..L_0, N, N]. Construct outside any PointerScope (it owns its parameters).
 */
public final class SUNFineLatticeFlow extends Module implements Density {

    /** Architecture: iterations of the direction-and-location block, hidden widths and spline bins of the spectral flows. */
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

    /** Direction updates per iteration in d dimensions: 4 mask offsets for each of the d (d - 1) ordered planes. */
    public static int directionLayers(int d) { return 4 * d * (d - 1); }

    /** Location updates per iteration in d dimensions: d directions times 2 (d = 2) or 4 (d >= 3) masks. */
    public static int locationLayers(int d) { return d * locationMasks(d); }

    /** Layers per iteration: 12 in 2D, 36 in 3D, 64 in 4D. */
    public static int layersPerIteration(int d) { return directionLayers(d) + locationLayers(d); }

    private static int locationMasks(int d) { return d == 2 ? 2 : 4; }

    /** The coupling layers of {@code arch.iterations()} direction-and-location iterations, as one transform. */
    public static CompositeTransform couplings(SUN group, Lattice lattice, Architecture arch, FieldOptions options,
            Rng init) {
        int d = lattice.dims();
        List<SUNCouplingLayer> layers = new ArrayList<>();
        int k = 0;
        for (int it = 0; it < arch.iterations(); it++) {
            for (int mu = 0; mu < d; mu++) {
                for (int nu = 0; nu < d; nu++) {
                    if (nu == mu) continue;
                    for (int off = 0; off < 4; off++) {
                        layers.add(new SUNCouplingLayer(group, lattice, SUNCouplingLayer.Kind.PLAQUETTE, mu, nu, off & 1,
                                off >> 1, arch.hidden(), arch.bins(), k++, arch.initScale(), options, init));
                    }
                }
            }
            for (int mu = 0; mu < d; mu++) {
                int nu = (mu + 1) % d;
                for (int off = 0; off < locationMasks(d); off++) {
                    layers.add(new SUNCouplingLayer(group, lattice, SUNCouplingLayer.Kind.STAPLES, mu, nu, off >> 1, off & 1,
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
