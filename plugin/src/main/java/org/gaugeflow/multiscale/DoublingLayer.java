package org.gaugeflow.multiscale;

import static org.gaugeflow.tensor.Tensors.dagger;
import static org.gaugeflow.tensor.Tensors.mul;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.gaugeflow.tensor.Tensors;

/**
 * A doubling layer in direction mu on a d-dimensional lattice (Sec. 3, Fig. 1 for d = 2; Sec. 4, Fig. 3,
 * Algorithm 1 for any d >= 2).
 *
 * <p>Refinement (sampling direction): each coarse mu-link is split as U_mu(x) = U_A(x) U_B(x + mu/2) (Eq. (5)), with
 * U_B Haar or, inside a slice model, from a staple-conditional model given its out-of-slice staples
 * ({@link UBMode}), and U_A = U_mu U_B^dag. The new perpendicular links at the odd fine mu-positions are, for d = 2,
 * drawn link by link from a staple-conditional model given S_A and S_B (Eqs. (7), (8), computed by
 * {@link Loops#stapleA} / {@link Loops#stapleB} on the fine field: at the odd fine site y = x + mu/2,
 * U_mu(y - mu) = U_A(x) and U_mu(y) = U_B) and the out-of-slice staples of the enclosing levels; for d > 2 they form
 * (d-1)-dimensional slices, one per coarse mu-position, drawn by a (d-1)-dimensional multiscale model (the slice
 * model) that receives S_A, S_B of every slice link at every scale of the slice plus the enclosing levels' staples
 * ({@link SliceStaples}). The fine field is assembled by Eq. (9), and log q gains
 * log q(U_perp or slices | ...) + log q(U_B | ...) (Eq. (10)).
 *
 * <p>Coarsening (density evaluation): any fine field is split back into its coarse field (U_mu = U_A U_B at even
 * sites, the other directions' even links), its U_B (odd mu-links) and the perpendicular links (odd links of the
 * other directions), so log q of an arbitrary fine configuration is computable. The map (U_coarse, U_B, U_perp) ->
 * U_fine preserves the product Haar measure (U_A = U_mu U_B^dag is a Haar-preserving change of variables for fixed
 * U_B), and every context (staples) depends only on links sampled before the links it conditions, so the density
 * factorizes exactly as Eq. (10).
 */
public final class DoublingLayer extends Module {
    private final GaugeGroup group;
    private final Lattice coarse;
    private final Lattice fine;
    private final int mu;
    private final int outer;
    private final StapleConditionalModel perpendicular;
    private final MultiscaleModel slice;
    private final UBMode ubMode;
    private final StapleConditionalModel ub;
    private final StapleConditionalModel ubSecond;
    private final Map<String, Tensor[]> checkerboard = new HashMap<>();

    /** The result of a refinement or coarsening: the other field and the layer's log q increment, shape [B]. */
    public record Doubled(GaugeField field, Tensor logQ) {}

    /** A top-level two-dimensional layer: Haar U_B, U_perp from {@code perpendicular} given (S_A, S_B). */
    public DoublingLayer(GaugeGroup group, Lattice coarse, int mu, StapleConditionalModel perpendicular) {
        this(group, coarse, mu, 0, perpendicular, null, UBMode.HAAR, null, null);
    }

    private DoublingLayer(GaugeGroup group, Lattice coarse, int mu, int outer, StapleConditionalModel perpendicular,
            MultiscaleModel slice, UBMode ubMode, StapleConditionalModel ub, StapleConditionalModel ubSecond) {
        coarse.checkDirection(mu);
        int d = coarse.dims();
        if (outer < 0) throw new IllegalArgumentException("out-of-slice staples = " + outer + ": expected >= 0");
        if (d == 2) {
            if (perpendicular == null) {
                throw new IllegalArgumentException("lattice " + coarse + ": a 2D doubling layer needs a staple-conditional model for U_perp");
            }
            checkModel(group, perpendicular, 2 + outer, "U_perp");
        } else {
            if (slice == null) {
                throw new IllegalArgumentException("lattice " + coarse + " of dimension " + d
                        + ": expected a " + (d - 1) + "-dimensional slice model for the new perpendicular links (Sec. 4)");
            }
            Lattice want = CoarsePaths.without(coarse, mu);
            if (!slice.lattice().equals(want) || !slice.group().name().equals(group.name()) || slice.group().n() != group.n()) {
                throw new IllegalArgumentException("slice model for " + slice.group() + " on " + slice.lattice() + ": expected "
                        + group + " on " + want);
            }
            if (slice.outerStaples() != 2 + outer) {
                throw new IllegalArgumentException("slice model with " + slice.outerStaples() + " out-of-slice staples: expected "
                        + (2 + outer));
            }
        }
        switch (ubMode) {
            case HAAR -> {
                if (ub != null || ubSecond != null) throw new IllegalArgumentException("u_b haar: expected no U_B model");
            }
            case CONDITIONAL -> {
                if (outer == 0) throw new IllegalArgumentException("u_b conditional: a top-level layer has no path between the ends of U_B; expected haar");
                checkModel(group, ub, outer, "U_B");
            }
            case CHECKERBOARD -> {
                if (outer < 2) throw new IllegalArgumentException("u_b checkerboard: a top-level layer has no path between the ends of U_B; expected haar");
                checkModel(group, ub, outer, "U_B");
                checkModel(group, ubSecond, outer + 4 * (d - 1), "U_B (second checkerboard half)");
                for (int nu = 0; nu < d; nu++) {
                    if (nu != mu && coarse.extent(nu) % 2 != 0) {
                        throw new IllegalArgumentException("u_b checkerboard on " + coarse + ": extent L_" + nu + " = "
                                + coarse.extent(nu) + ", expected even extents in the directions other than mu = " + mu);
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        this.group = group;
        this.coarse = coarse;
        this.fine = coarse.refined(mu, 2);
        this.mu = mu;
        this.outer = outer;
        this.perpendicular = perpendicular;
        this.slice = slice;
        this.ubMode = ubMode;
        this.ub = ub;
        this.ubSecond = ubSecond;
        if (perpendicular instanceof Module m) register_module("perpendicular", m);
        if (slice != null) register_module("slice", slice);
        if (ub instanceof Module m) register_module("ub", m);
        if (ubSecond instanceof Module m) register_module("ubSecond", m);
    }

    /**
     * A two-dimensional layer inside a slice model (or, with {@code outer} = 0, at the top level): U_perp from
     * {@code perpendicular} given S_A, S_B and the {@code outer} out-of-slice staples; U_B by {@code ubMode}.
     */
    public static DoublingLayer twoDimensional(GaugeGroup group, Lattice coarse, int mu, int outer,
            StapleConditionalModel perpendicular, UBMode ubMode, StapleConditionalModel ub, StapleConditionalModel ubSecond) {
        if (coarse.dims() != 2) throw new IllegalArgumentException("lattice " + coarse + ": expected d = 2");
        return new DoublingLayer(group, coarse, mu, outer, perpendicular, null, ubMode, ub, ubSecond);
    }

    /**
     * A d-dimensional layer (d > 2) whose slices come from {@code slice}, a (d-1)-dimensional model on the coarse lattice
     * without direction mu, conditioned on 2 + {@code outer} out-of-slice staples per link.
     */
    public static DoublingLayer withSlices(GaugeGroup group, Lattice coarse, int mu, int outer, MultiscaleModel slice,
            UBMode ubMode, StapleConditionalModel ub, StapleConditionalModel ubSecond) {
        if (coarse.dims() < 3) throw new IllegalArgumentException("lattice " + coarse + ": expected d > 2 for a layer with slices");
        return new DoublingLayer(group, coarse, mu, outer, null, slice, ubMode, ub, ubSecond);
    }

    /**
     * The layer of {@link MultiscaleModel#build}: staple-conditional models from {@code factory}, and for d > 2 a
     * slice model built recursively (its coarsest lattice {@link CoarsePaths#coarsest}).
     */
    static DoublingLayer build(GaugeGroup group, Lattice coarse, int mu, int outer, MultiscaleModel.Structure s,
            StapleConditionalFactory factory) {
        int d = coarse.dims();
        UBMode mode = outer == 0 ? UBMode.HAAR : s.ub();
        Lattice fine = coarse.refined(mu, 2);
        StapleConditionalModel ub = mode == UBMode.HAAR ? null : factory.create(StapleConditionalFactory.Role.UB, fine, outer);
        StapleConditionalModel ub2 = mode == UBMode.CHECKERBOARD
                ? factory.create(StapleConditionalFactory.Role.UB_SECOND, fine, outer + 4 * (d - 1)) : null;
        if (d == 2) {
            StapleConditionalModel perp = factory.create(StapleConditionalFactory.Role.PERPENDICULAR, fine, 2 + outer);
            return new DoublingLayer(group, coarse, mu, outer, perp, null, mode, ub, ub2);
        }
        Lattice sliceLattice = CoarsePaths.without(coarse, mu);
        MultiscaleModel sliceModel = MultiscaleModel.buildLevel(group, null, CoarsePaths.coarsest(sliceLattice, s.sliceCoarse()),
                sliceLattice, 2 + outer, s, factory, null);
        return new DoublingLayer(group, coarse, mu, outer, null, sliceModel, mode, ub, ub2);
    }

    private static void checkModel(GaugeGroup group, StapleConditionalModel m, int staples, String what) {
        if (m == null) throw new IllegalArgumentException(what + ": expected a staple-conditional model");
        if (m.staples() != staples) {
            throw new IllegalArgumentException("staple-conditional model for " + what + " with " + m.staples()
                    + " staples: expected " + staples);
        }
        if (m.group().n() != group.n() || !m.group().name().equals(group.name())) {
            throw new IllegalArgumentException("staple-conditional model for " + m.group() + ": expected " + group);
        }
    }

    public Lattice coarseLattice() { return coarse; }

    public Lattice fineLattice() { return fine; }

    /** The doubling direction mu. */
    public int direction() { return mu; }

    /** The number of out-of-slice staples this layer receives (0 at the top level). */
    public int outerStaples() { return outer; }

    /** The staple-conditional model of U_perp (d = 2), or null. */
    public StapleConditionalModel perpendicular() { return perpendicular; }

    /** The (d-1)-dimensional slice model (d > 2), or null. */
    public MultiscaleModel slice() { return slice; }

    public UBMode ubMode() { return ubMode; }

    /** Top-level refinement (no enclosing field). */
    public Doubled refine(GaugeField coarseField, Rng rng) { return refine(coarseField, rng, null); }

    /**
     * Coarse field -> fine field (Eqs. (5), (9)) with log q(perpendicular links | ...) + log q(U_B | ...) (Eq. (10));
     * {@code outerContext} is the conditioning of the model this layer belongs to (null at the top level).
     */
    public Doubled refine(GaugeField coarseField, Rng rng, SliceConditioning outerContext) {
        checkField(coarseField, coarse, "coarse");
        checkOuter(outerContext);
        int d = coarse.dims();
        long b = coarseField.batch();
        Tensor outerFine = outerFine(outerContext);                          // [B, d, fine sites..., m, N, N]
        Sample uBs = sampleUB(b, rng, coarseField, outerFine);
        Tensor uB = uBs.value();
        Tensor uA = mul(coarseField.link(mu), dagger(uB));                     // Eq. (5): U_A = U_mu U_B^dag
        Tensor placeholder = group.identity(rng.options(), GaugeField.siteShape(coarse, b)).to(uB.scalar_type());
        Tensor[] dirs = new Tensor[d];
        dirs[mu] = interleave(uA, uB);
        for (int nu = 0; nu < d; nu++) if (nu != mu) dirs[nu] = interleave(coarseField.link(nu), placeholder);
        // the context of the perpendicular links contains none of them: build it with placeholders there
        GaugeField withPlaceholders = GaugeField.fromDirections(group, fine, dirs);
        Tensor logQ;
        if (d == 2) {
            int nu = 1 - mu;
            Sample perp = perpendicular.sample(b, rng, perpendicularContext(withPlaceholders, outerFine));
            dirs[nu] = interleave(coarseField.link(nu), perp.value());
            logQ = perp.logQ();
        } else {
            Sample s = slice.sample(b * coarse.extent(mu), rng, new SliceStaples(withPlaceholders, mu, outerContext));
            Tensor links = SliceStaples.fromSliceBatch(s.value(), b, d, mu, 2);   // [B, d-1, coarse sites..., N, N]
            for (int nu = 0, j = 0; nu < d; nu++) {
                if (nu != mu) dirs[nu] = interleave(coarseField.link(nu), links.select(1, j++));
            }
            logQ = s.logQ().reshape(b, coarse.extent(mu)).sum(1);
        }
        if (uBs.logQ() != null) logQ = logQ.add(uBs.logQ());
        return new Doubled(GaugeField.fromDirections(group, fine, dirs), logQ);             // Eq. (9)
    }

    /** Top-level coarsening. */
    public Doubled coarsen(GaugeField fineField) { return coarsen(fineField, null); }

    /** Fine field -> coarse field, with the same log q increment as {@link #refine} gives for that fine field. */
    public Doubled coarsen(GaugeField fineField, SliceConditioning outerContext) {
        checkField(fineField, fine, "fine");
        checkOuter(outerContext);
        int d = coarse.dims();
        long b = fineField.batch();
        Tensor fineMu = fineField.link(mu);
        Tensor uB = parity(fineMu, 1);
        Tensor[] dirs = new Tensor[d];
        dirs[mu] = mul(parity(fineMu, 0), uB);                                  // U_A U_B, Eq. (5)
        for (int nu = 0; nu < d; nu++) if (nu != mu) dirs[nu] = parity(fineField.link(nu), 0);
        GaugeField coarseField = GaugeField.fromDirections(group, coarse, dirs);
        Tensor outerFine = outerFine(outerContext);
        Tensor logQ;
        if (d == 2) {
            int nu = 1 - mu;
            logQ = perpendicular.logProb(parity(fineField.link(nu), 1), perpendicularContext(fineField, outerFine));
        } else {
            Tensor[] perp = new Tensor[d - 1];
            for (int nu = 0, j = 0; nu < d; nu++) if (nu != mu) perp[j++] = parity(fineField.link(nu), 1);
            Tensor links = SliceStaples.toSliceBatch(torch.stack(new TensorVector(perp), 1), d, mu, 2);
            logQ = slice.logProb(links, new SliceStaples(fineField, mu, outerContext)).reshape(b, coarse.extent(mu)).sum(1);
        }
        Tensor lqB = logProbUB(uB, coarseField, outerFine);
        if (lqB != null) logQ = logQ.add(lqB);
        return new Doubled(coarseField, logQ);
    }

    /**
     * The out-of-slice staples of every link of the fine lattice, where this layer uses them directly (U_B models,
     * U_perp of a 2D layer); null at the top level or where only the slice model needs them (it asks for its own
     * levels).
     */
    private Tensor outerFine(SliceConditioning outerContext) {
        return outer > 0 && (ubMode != UBMode.HAAR || coarse.dims() == 2) ? outerContext.staples(fine) : null;
    }

    // ------------------------------------------------------------------------------------------------ U_B

    /** U_B [B, coarse sites..., N, N] and its log q (null for Haar). */
    private Sample sampleUB(long b, Rng rng, GaugeField coarseField, Tensor outerFine) {
        if (ubMode == UBMode.HAAR) return new Sample(group.haar(rng, GaugeField.siteShape(coarse, b)), null);
        Tensor ctx = ubContext(outerFine);
        if (ubMode == UBMode.CONDITIONAL) return ub.sample(b, rng, ctx);
        Tensor[] idx = checkerboard(ctx.device());
        Sample first = ub.sample(b, rng, sites(ctx).index_select(1, idx[0]));
        Tensor rest = group.identity(rng.options(), b, idx[1].size(0)).to(first.value().scalar_type());
        Tensor uB = unsites(torch.cat(new TensorVector(first.value(), rest), 1).index_select(1, idx[2]));
        Tensor ctx2 = torch.cat(new TensorVector(ctx, checkerboardStaples(uB, coarseField, outerFine)), -3);
        Sample second = ubSecond.sample(b, rng, sites(ctx2).index_select(1, idx[1]));
        uB = unsites(torch.cat(new TensorVector(first.value(), second.value()), 1).index_select(1, idx[2]));
        return new Sample(uB, first.logQ().add(second.logQ()));
    }

    private Tensor logProbUB(Tensor uB, GaugeField coarseField, Tensor outerFine) {
        if (ubMode == UBMode.HAAR) return null;
        Tensor ctx = ubContext(outerFine);
        if (ubMode == UBMode.CONDITIONAL) return ub.logProb(uB, ctx);
        Tensor[] idx = checkerboard(ctx.device());
        Tensor ctx2 = torch.cat(new TensorVector(ctx, checkerboardStaples(uB, coarseField, outerFine)), -3);
        Tensor flat = sites(uB);
        return ub.logProb(flat.index_select(1, idx[0]), sites(ctx).index_select(1, idx[0]))
                .add(ubSecond.logProb(flat.index_select(1, idx[1]), sites(ctx2).index_select(1, idx[1])));
    }

    /** The out-of-slice staples of U_B (odd fine mu-links), [B, coarse sites..., m, N, N]. */
    private Tensor ubContext(Tensor outerFine) { return parity(outerFine.select(1, mu), 1); }

    /**
     * The staples of U_B(z + mu/2) (from m = z + mu/2 to e = z + mu) through a neighbouring U_B(z +- nu), nu != mu,
     * for the second checkerboard half: e -> e + nu by the coarse U_nu(z + mu), back along U_B(z + nu)^dag to m + nu,
     * then to m by an out-of-slice staple S of the fine link U_nu(m) (the path from m + nu to m outside the slice);
     * and the mirror image through z - nu: U_nu(z + mu - nu)^dag U_B(z - nu)^dag S(m - nu)^dag. Of the out-of-slice
     * staples only the nearest enclosing level's two are routed, so [B, coarse sites..., 4 (d - 1), N, N].
     */
    private Tensor checkerboardStaples(Tensor uB, GaugeField coarseField, Tensor outerFine) {
        int d = coarse.dims();
        List<Tensor> out = new ArrayList<>();
        for (int nu = 0; nu < d; nu++) {
            if (nu == mu) continue;
            Tensor uNuE = GaugeField.shift(coarseField.link(nu), d, mu, 1);             // U_nu(z + mu)
            Tensor s = parity(outerFine.select(1, nu), 1).narrow(-3, 0, 2);             // S(m), [B, sites..., 2, N, N]
            Tensor plus = mul(uNuE, dagger(GaugeField.shift(uB, d, nu, 1)));
            out.add(plus.unsqueeze(-3).matmul(s));
            Tensor minus = mul(dagger(GaugeField.shift(uNuE, d, nu, -1)), dagger(GaugeField.shift(uB, d, nu, -1)));
            out.add(minus.unsqueeze(-3).matmul(dagger(GaugeField.shift(s, d, nu, -1))));
        }
        return torch.cat(new TensorVector(out.toArray(new Tensor[0])), -3);
    }

    /** [B, sites..., rest] -> [B, V, rest] (site rank order). */
    private Tensor sites(Tensor perSite) { return perSite.flatten(1, coarse.dims()); }

    /** [B, V, rest] -> [B, sites..., rest]. */
    private Tensor unsites(Tensor flat) {
        long[] shape = GaugeField.siteShape(coarse, 1);
        return flat.unflatten(1, java.util.Arrays.copyOfRange(shape, 1, shape.length));
    }

    /**
     * Site ranks of the coarse lattice with even (0) and odd (1) sum of the coordinates other than mu, and the
     * permutation (2) that puts [even..., odd...] back in rank order; cached per device.
     */
    private Tensor[] checkerboard(org.bytedeco.pytorch.Device device) {
        String key = device.str().getString();
        Tensor[] cached = checkerboard.get(key);
        if (cached != null) return cached;
        long v = coarse.volume();
        long[] even = new long[(int) v / 2];
        long[] odd = new long[(int) v / 2];
        long[] inverse = new long[(int) v];
        int ne = 0;
        int no = 0;
        for (long r = 0; r < v; r++) {
            int[] x = coarse.coordinates(r);
            int p = 0;
            for (int nu = 0; nu < x.length; nu++) if (nu != mu) p += x[nu];
            if (p % 2 == 0) {
                inverse[(int) r] = ne;
                even[ne++] = r;
            } else {
                inverse[(int) r] = v / 2 + no;
                odd[no++] = r;
            }
        }
        Tensor[] t = {indexTensor(even, device), indexTensor(odd, device), indexTensor(inverse, device)};
        for (Tensor x : t) Tensors.retain(x);
        checkerboard.put(key, t);
        return t;
    }

    private static Tensor indexTensor(long[] values, org.bytedeco.pytorch.Device device) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        return Tensors.fromArray(d, d.length).to(torch.ScalarType.Long).to(device, torch.ScalarType.Long);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The context of U_perp in a 2D layer: S_A and S_B at the odd sites, then the out-of-slice staples of those links,
     * [B, coarse sites..., 2 + m, N, N].
     */
    Tensor perpendicularContext(GaugeField fineField, Tensor outerFine) {
        Tensor ctx = staples(fineField);
        if (outerFine == null) return ctx;
        return torch.cat(new TensorVector(ctx, parity(outerFine.select(1, 1 - mu), 1)), -3);
    }

    /** S_A and S_B of the perpendicular links (d = 2) at the odd sites, [B, coarse sites..., 2, N, N]. */
    Tensor staples(GaugeField fineField) {
        int nu = 1 - mu;
        Tensor sA = parity(Loops.stapleA(fineField, nu, mu), 1);                  // Eq. (7)
        Tensor sB = parity(Loops.stapleB(fineField, nu, mu), 1);                  // Eq. (8)
        return torch.stack(new TensorVector(sA, sB), -3);
    }

    /** Per-site tensors on the coarse lattice at even / odd fine sites along mu -> a fine per-site tensor. */
    Tensor interleave(Tensor even, Tensor odd) {
        long dim = GaugeField.siteDim(coarse.dims(), mu);
        return torch.stack(new TensorVector(even, odd), dim + 1).flatten(dim, dim + 1);
    }

    /** The even (p = 0) or odd (p = 1) fine sites along mu of a fine per-site tensor, as a coarse per-site tensor. */
    Tensor parity(Tensor finePerSite, int p) { return SliceStaples.parity(finePerSite, coarse.dims(), mu, p); }

    private void checkOuter(SliceConditioning c) {
        int got = c == null ? 0 : c.count();
        if (got != outer) {
            throw new IllegalArgumentException("conditioning with " + got + " out-of-slice staples: this layer expects " + outer);
        }
    }

    private void checkField(GaugeField f, Lattice want, String what) {
        if (!f.lattice().equals(want) || !f.group().name().equals(group.name())) {
            throw new IllegalArgumentException(what + " field " + f.group() + " on " + f.lattice() + ": expected "
                    + group + " on " + want);
        }
    }
}
