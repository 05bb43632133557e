package org.gaugeflow.multiscale;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Loops;

/**
 * The out-of-slice staples that a d-dimensional doubling layer (direction mu) hands to the (d-1)-dimensional model of
 * its slices (Sec. 4, Algorithm 1 line 4: "add S_A, S_B to S"). The slices are the new sites at odd fine mu-positions,
 * one slice per coarse mu-position, batched as B' = B L_mu (configuration b, position j -> b L_mu + j).
 *
 * <p>For a level lattice of the slice with block factors b_nu (nu != mu), a slice link V_nu(y) is the path of b_nu
 * fine links from y; its staples here are Eqs. (7), (8) on the coarse paths of the layer's fine field
 * ({@link CoarsePaths}, block factor 1 along mu):
 * S_A(y) = U_A(y - mu + b_nu nu)^dag W_nu(y - mu)^dag U_A(y - mu) through the -mu side and
 * S_B(y) = U_B(y + b_nu nu) W_nu(y + mu)^dag U_B(y)^dag through the +mu side, with W the product of b_nu
 * links of the even layers (coarse links of the layer). Neither contains a slice link. Then come the staples of the
 * enclosing levels ({@code outer}, the conditioning of the layer's own model), evaluated on the d-dimensional level
 * lattice that holds the slice level.
 */
final class SliceStaples implements SliceConditioning {
    private final GaugeField fine;
    private final int mu;
    private final SliceConditioning outer;
    private final Lattice slice;
    private final Map<Lattice, Tensor> cache = new HashMap<>();

    /**
     * @param fine  the layer's fine field (its slice links are not read)
     * @param outer the conditioning of the layer's model, or null at the top level
     */
    SliceStaples(GaugeField fine, int mu, SliceConditioning outer) {
        this.fine = fine;
        this.mu = mu;
        this.outer = outer;
        this.slice = CoarsePaths.without(fine.lattice(), mu);
    }

    @Override public int count() { return 2 + (outer == null ? 0 : outer.count()); }

    @Override public Tensor staples(Lattice level) {
        Tensor cached = cache.get(level);
        if (cached != null) return cached;
        int d = fine.lattice().dims();
        int[] sliceFactors = CoarsePaths.factors(slice, level);
        int[] ext = new int[d];
        int[] factors = new int[d];
        for (int nu = 0, j = 0; nu < d; nu++) {
            if (nu == mu) {
                ext[nu] = fine.lattice().extent(mu);
                factors[nu] = 1;
            } else {
                ext[nu] = level.extent(j);
                factors[nu] = sliceFactors[j++];
            }
        }
        Lattice blocked = new Lattice(ext);
        GaugeField g = new GaugeField(fine.group(), blocked, CoarsePaths.block(fine.links(), factors));
        Tensor outerAll = outer == null ? null : outer.staples(blocked);   // [B, d, blocked sites..., m, N, N]
        Tensor[] perDirection = new Tensor[d - 1];
        for (int nu = 0, j = 0; nu < d; nu++) {
            if (nu == mu) continue;
            Tensor own = torch.stack(new TensorVector(Loops.stapleA(g, nu, mu), Loops.stapleB(g, nu, mu)), -3);
            if (outerAll != null) own = torch.cat(new TensorVector(own, outerAll.select(1, nu)), -3);
            perDirection[j++] = odd(own, d, mu);
        }
        Tensor t = torch.stack(new TensorVector(perDirection), 1);          // [B, d-1, sites (mu: L_mu)..., n, N, N]
        t = toSliceBatch(t, d, mu, 2);
        cache.put(level, t);
        return t;
    }

    /** The odd fine mu-positions of a per-site tensor [B, sites..., ...] of a d-dimensional lattice. */
    static Tensor odd(Tensor perSite, int d, int mu) { return parity(perSite, d, mu, 1); }

    /** The even (p = 0) or odd (p = 1) mu-positions of a per-site tensor [B, sites..., ...]. */
    static Tensor parity(Tensor perSite, int d, int mu, int p) {
        long dim = GaugeField.siteDim(d, mu);
        return perSite.unflatten(dim, perSite.size(dim) / 2, 2).select(dim + 1, p);
    }

    /**
     * Moves the mu site dim of a tensor [B, (directions,) sites..., ...] into the batch: [B L_mu, (directions,) slice
     * sites..., ...]. {@code firstSiteDim} is 1 for per-site tensors, 2 with a direction dim.
     */
    static Tensor toSliceBatch(Tensor t, int d, int mu, int firstSiteDim) {
        return t.movedim(firstSiteDim + (d - 1 - mu), 1).flatten(0, 1);
    }

    /** Inverse of {@link #toSliceBatch}: [B L_mu, (directions,) slice sites..., ...] -> [B, (directions,) sites..., ...]. */
    static Tensor fromSliceBatch(Tensor t, long batch, int d, int mu, int firstSiteDim) {
        return t.unflatten(0, batch, t.size(0) / batch).movedim(1, firstSiteDim + (d - 1 - mu));
    }
}
