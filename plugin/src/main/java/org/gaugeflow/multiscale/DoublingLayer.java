package org.gaugeflow.multiscale;

import static org.gaugeflow.tensor.Tensors.dagger;
import static org.gaugeflow.tensor.Tensors.mul;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Loops;
import org.gaugeflow.tensor.Rng;

/**
 * A two-dimensional doubling layer (Sec. 3, Fig. 1): doubles the lattice along direction mu.
 *
 * <p>Refinement (sampling direction): each coarse mu-link is split as U_mu(x) = U_A(x) U_B(x + mu/2)
 * (Eq. (5)) with U_B Haar and U_A = U_mu U_B^dag; the new perpendicular links U_perp(x + mu/2) are drawn
 * from a staple-conditional model given S_A and S_B (Eqs. (7), (8), computed by {@link Loops#stapleA} /
 * {@link Loops#stapleB} on the fine field: at the odd fine site y = x + mu/2, U_mu(y - mu) = U_A(x) and
 * U_mu(y) = U_B); the fine field is assembled by Eq. (9), and log q gains
 * log q(U_perp | S_A, S_B) + log q(U_B) (Eq. (10); log q(U_B) = 0 for Haar U_B).
 *
 * <p>Coarsening (density evaluation): any fine field is split back into its coarse field
 * (U_mu = U_A U_B on even sites, U_nu on even sites), its U_B (odd mu-links) and U_perp (odd nu-links),
 * so log q of an arbitrary fine configuration is computable. The map (U_coarse, U_B, U_perp) -> U_fine
 * preserves the product Haar measure (U_A = U_mu U_B^dag is a Haar-preserving change of variables),
 * so the density factorizes exactly as Eq. (10).
 *
 * <p>Only d = 2 is implemented. In d > 2 (Sec. 4, Algorithm 1) U_B comes from a staple-conditional model
 * and U_perp becomes a (d-1)-dimensional slice sampled by a (d-1)-dimensional multiscale model,
 * conditioned on S_A, S_B and the out-of-plane staples; {@link #refine} / {@link #coarsen} keep that shape
 * (a field in, a field and its log q increment out).
 */
public final class DoublingLayer extends Module {
    private final GaugeGroup group;
    private final Lattice coarse;
    private final Lattice fine;
    private final int mu;
    private final int nu;
    private final StapleConditionalModel perpendicular;

    /** The result of a refinement or coarsening: the other field and the layer's log q increment, shape [B]. */
    public record Doubled(GaugeField field, Tensor logQ) {}

    public DoublingLayer(GaugeGroup group, Lattice coarse, int mu, StapleConditionalModel perpendicular) {
        if (coarse.dims() != 2) {
            throw new IllegalArgumentException("lattice " + coarse + " of dimension " + coarse.dims()
                    + ": expected d = 2 (d > 2 doubling layers, Sec. 4, are not implemented)");
        }
        coarse.checkDirection(mu);
        if (perpendicular.staples() != 2) {
            throw new IllegalArgumentException("staple-conditional model with " + perpendicular.staples()
                    + " staples: expected 2 (S_A, S_B) for a 2D doubling layer");
        }
        if (perpendicular.group().n() != group.n() || !perpendicular.group().name().equals(group.name())) {
            throw new IllegalArgumentException("staple-conditional model for " + perpendicular.group()
                    + ": expected " + group);
        }
        this.group = group;
        this.coarse = coarse;
        this.fine = coarse.refined(mu, 2);
        this.mu = mu;
        this.nu = 1 - mu;
        this.perpendicular = perpendicular;
        if (perpendicular instanceof Module m) register_module("perpendicular", m);
    }

    public Lattice coarseLattice() { return coarse; }

    public Lattice fineLattice() { return fine; }

    /** The doubling direction mu. */
    public int direction() { return mu; }

    public StapleConditionalModel perpendicular() { return perpendicular; }

    /** Coarse field -> fine field (Eqs. (5), (9)) with log q(U_perp | S_A, S_B) + log q(U_B) (Eq. (10)). */
    public Doubled refine(GaugeField coarseField, Rng rng) {
        checkField(coarseField, coarse, "coarse");
        long b = coarseField.batch();
        Tensor uMu = coarseField.link(mu);
        Tensor uB = group.haar(rng, GaugeField.siteShape(coarse, b));             // Eq. (5): U_B Haar,
        Tensor uA = mul(uMu, dagger(uB));                                        // U_A = U_mu U_B^dag
        Tensor uNu = coarseField.link(nu);
        Tensor fineMu = interleave(uA, uB, mu);
        // the staples of U_perp do not contain U_perp: build them on the fine field with a placeholder
        Tensor placeholder = group.identity(rng.options(), GaugeField.siteShape(coarse, b)).to(uNu.scalar_type());
        Tensor context = staples(assemble(fineMu, interleave(uNu, placeholder, mu)));
        Sample perp = perpendicular.sample(b, rng, context);
        GaugeField fineField = assemble(fineMu, interleave(uNu, perp.value(), mu));   // Eq. (9)
        return new Doubled(fineField, perp.logQ());
    }

    /** Fine field -> coarse field, with the same log q increment as {@link #refine} gives for that fine field. */
    public Doubled coarsen(GaugeField fineField) {
        checkField(fineField, fine, "fine");
        Tensor fineMu = fineField.link(mu);
        Tensor fineNu = fineField.link(nu);
        Tensor uMu = mul(parity(fineMu, 0), parity(fineMu, 1));                  // U_A U_B, Eq. (5)
        Tensor uNu = parity(fineNu, 0);
        Tensor uPerp = parity(fineNu, 1);
        Tensor logQ = perpendicular.logProb(uPerp, staples(fineField));
        Tensor[] dirs = mu == 0 ? new Tensor[] {uMu, uNu} : new Tensor[] {uNu, uMu};
        return new Doubled(GaugeField.fromDirections(group, coarse, dirs), logQ);
    }

    /** The context of the perpendicular links: S_A and S_B at the odd sites, [B, coarse sites..., 2, N, N]. */
    Tensor staples(GaugeField fineField) {
        Tensor sA = parity(Loops.stapleA(fineField, nu, mu), 1);                  // Eq. (7)
        Tensor sB = parity(Loops.stapleB(fineField, nu, mu), 1);                  // Eq. (8)
        return torch.stack(new TensorVector(sA, sB), -3);
    }

    private GaugeField assemble(Tensor fineMu, Tensor fineNu) {
        Tensor[] dirs = mu == 0 ? new Tensor[] {fineMu, fineNu} : new Tensor[] {fineNu, fineMu};
        return GaugeField.fromDirections(group, fine, dirs);
    }

    /** Per-site tensors on the coarse lattice at even / odd fine sites along mu -> a fine per-site tensor. */
    Tensor interleave(Tensor even, Tensor odd, int direction) {
        long dim = GaugeField.siteDim(2, direction);
        return torch.stack(new TensorVector(even, odd), dim + 1).flatten(dim, dim + 1);
    }

    /** The even (p = 0) or odd (p = 1) fine sites along mu of a fine per-site tensor, as a coarse per-site tensor. */
    Tensor parity(Tensor finePerSite, int p) {
        long dim = GaugeField.siteDim(2, mu);
        return finePerSite.unflatten(dim, finePerSite.sizes().at(dim) / 2, 2).select(dim + 1, p);
    }

    private void checkField(GaugeField f, Lattice want, String what) {
        if (!f.lattice().equals(want) || !f.group().name().equals(group.name())) {
            throw new IllegalArgumentException(what + " field " + f.group() + " on " + f.lattice() + ": expected "
                    + group + " on " + want);
        }
    }
}
