package org.gaugeflow.flow.u1;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;

/**
 * The masks of one gauge-equivariant coupling layer (Kanwar et al. 2020) in the plane (mu, nu) with
 * offset o in {0, 1, 2, 3}, in any dimension d:
 * <ul>
 *   <li>updated links: U_mu(x) with x_nu = o (mod 4);
 *   <li>active plaquettes: P_munu(x) with x_nu = o (mod 4); each contains exactly one updated link,
 *       U_mu(x), with sign +1, so setting theta_mu(x) += P'(x) - P(x) realizes the new plaquette P';
 *   <li>frozen plaquettes: P_munu(x) with x_nu = o + 1, o + 2 (mod 4); they contain no updated link
 *       and condition the layer (the passive ones, x_nu = o + 3, change but are not used).
 * </ul>
 * The map is triangular: log|det| is the sum over active plaquettes of the log-derivative of the
 * plaquette transform. {@link #cycle} lets layer i update direction mu = i mod d with partner
 * nu = mu + 1 (mod d) and offset (i / d) mod 4, so every 4d consecutive layers update every link.
 * L_nu must be a multiple of 4.
 */
public record CouplingMask(int mu, int nu, int offset) {

    public CouplingMask {
        if (mu == nu) throw new IllegalArgumentException("coupling plane (" + mu + ", " + nu + "): expected mu != nu");
        if (offset < 0 || offset > 3) throw new IllegalArgumentException("coupling offset " + offset + ": expected 0..3");
    }

    /** The mask of layer i in the cycle through directions and offsets. */
    public static CouplingMask cycle(int i, int d) {
        int mu = i % d;
        return new CouplingMask(mu, (mu + 1) % d, (i / d) % 4);
    }

    /** Checks that the lattice suits this mask (L_nu a multiple of 4). */
    public void check(Lattice lattice) {
        lattice.checkDirection(mu);
        lattice.checkDirection(nu);
        if (lattice.extent(nu) % 4 != 0) {
            throw new IllegalArgumentException("lattice extent L_" + nu + " = " + lattice.extent(nu)
                    + ": expected a multiple of 4 for the coupling layers' stripes");
        }
    }

    /** Frozen-plaquette mask as a real per-site tensor [L_{d-1}, ..., L_0] (1 on frozen plaquettes). */
    public Tensor frozen(Lattice lattice, FieldOptions options) {
        check(lattice);
        int d = lattice.dims();
        long[] shape = new long[d];
        for (int r = 0; r < d; r++) shape[r] = 1;
        shape[d - 1 - nu] = lattice.extent(nu);
        Tensor coord = torch.arange(new Scalar((double) lattice.extent(nu)), options.real()).reshape(shape);
        // (x_nu - o - 1) mod 4 in {0, 1}
        Tensor r = torch.remainder(coord.sub(new Scalar((double) (offset + 1))), new Scalar(4.0));
        Tensor m = r.lt(new Scalar(1.5)).to(options.precision().realType());
        long[] full = new long[d];
        for (int a = 0; a < d; a++) full[d - 1 - a] = lattice.extent(a);
        return m.expand(full).contiguous();
    }

    /** The tensor dim of nu in a per-site tensor with a leading batch dim [B, L_{d-1}, ..., L_0, ...]. */
    public long nuDim(int d) { return 1 + (d - 1 - nu); }
}
