package org.gaugeflow.multiscale;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.lattice.Lattice;

/**
 * The coarse paths of a field (docs/multiscale.md, "d dimensions"): the field seen on a coarser level lattice whose
 * site z sits at the fine site z * b (b_nu a power of 2 per direction) and whose link V_nu(z) is the straight path
 * of b_nu fine links, V_nu(z) = U_nu(z b) U_nu(z b + nu) ... U_nu(z b + (b_nu - 1) nu). In a multiscale model every
 * coarser level's links are exactly these products (Eq. (5) and the even links of Eq. (9)), so the staples of a
 * coarse link are closed loops of the fine field.
 */
final class CoarsePaths {
    private CoarsePaths() {}

    /** The block factors b_nu = fine_nu / level_nu, each checked to be a positive integer. */
    static int[] factors(Lattice fine, Lattice level) {
        if (fine.dims() != level.dims()) {
            throw new IllegalArgumentException("level lattice " + level + ": expected the dimension of " + fine);
        }
        int[] f = new int[fine.dims()];
        for (int nu = 0; nu < f.length; nu++) {
            int a = fine.extent(nu);
            int c = level.extent(nu);
            if (a % c != 0 || Integer.bitCount(a / c) != 1) {
                throw new IllegalArgumentException("level lattice " + level + ": expected extents of " + fine
                        + " divided by powers of 2");
            }
            f[nu] = a / c;
        }
        return f;
    }

    /**
     * Links [B, d, L_{d-1}..L_0, N, N] -> the links of the level lattice with block factors {@code factors},
     * [B, d, L_{d-1}/b_{d-1}..L_0/b_0, N, N]: mu-links subsampled at the level sites and multiplied along their
     * direction.
     */
    static Tensor block(Tensor links, int[] factors) {
        int d = factors.length;
        boolean trivial = true;
        for (int f : factors) trivial &= f == 1;
        if (trivial) return links;
        Tensor[] dirs = new Tensor[d];
        for (int nu = 0; nu < d; nu++) {
            Tensor u = links.select(1, nu);
            for (int rho = 0; rho < d; rho++) {
                if (rho == nu || factors[rho] == 1) continue;
                long dim = GaugeField.siteDim(d, rho);
                u = u.unflatten(dim, u.size(dim) / factors[rho], factors[rho]).select(dim + 1, 0);
            }
            if (factors[nu] > 1) {
                long dim = GaugeField.siteDim(d, nu);
                Tensor parts = u.unflatten(dim, u.size(dim) / factors[nu], factors[nu]);
                u = parts.select(dim + 1, 0);
                for (int j = 1; j < factors[nu]; j++) u = u.matmul(parts.select(dim + 1, j));
            }
            dirs[nu] = u;
        }
        return torch.stack(new TensorVector(dirs), 1);
    }

    /** The field on a level lattice of {@code fine} (a blocking by powers of 2), as coarse paths. */
    static GaugeField block(GaugeField fine, Lattice level) {
        return new GaugeField(fine.group(), level, block(fine.links(), factors(fine.lattice(), level)));
    }

    /** The lattice without direction mu (the lattice of a slice, Sec. 4): extents in the remaining directions' order. */
    static Lattice without(Lattice lattice, int mu) {
        lattice.checkDirection(mu);
        int[] e = new int[lattice.dims() - 1];
        for (int nu = 0, j = 0; nu < lattice.dims(); nu++) if (nu != mu) e[j++] = lattice.extent(nu);
        return new Lattice(e);
    }

    /**
     * The coarsest lattice of a slice model on {@code slice}: each extent halved while it stays even and the half is
     * at least {@code minExtent} (so 4 -> 2, 8 -> 2, 6 -> 3 for minExtent 2).
     */
    static Lattice coarsest(Lattice slice, int minExtent) {
        int[] e = slice.extents();
        for (int nu = 0; nu < e.length; nu++) {
            while (e[nu] % 2 == 0 && e[nu] / 2 >= minExtent) e[nu] /= 2;
        }
        return new Lattice(e);
    }
}
