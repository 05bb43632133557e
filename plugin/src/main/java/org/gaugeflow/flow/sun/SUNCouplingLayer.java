package org.gaugeflow.flow.sun;

import static org.gaugeflow.tensor.Tensors.dagger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.flow.spectral.SpectralFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.Loops;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A gauge-equivariant SU(N) coupling layer on a d-dimensional lattice, d >= 2 (Boyda et al. 2021; the
 * direction/location update scheme of Abbott et al. 2023, arXiv:2305.02402), acting on link tensors
 * [B, d, L_{d-1}..L_0, N, N]. The masks and their counts are explained in docs/su3.md ("Fine-lattice SU(N) flow").
 *
 * <p>Active links U_mu(x) on a masked set of sites are updated through an active loop P(x) = U_mu(x) Q(x),
 * where Q(x) is built from frozen links only: U_mu'(x) = f(P) Q^dag = P' P^dag U_mu(x) (the push-back of
 * Eq. (14)), f a {@link SpectralFlow} whose parameters come from a stencil of frozen, gauge-invariant loop
 * traces around x. No active loop contains a second active link and no context loop contains any active
 * link, so the Jacobian is block-diagonal: log|det| is the sum over active links of the spectral flow's
 * log|det| at P (Q is fixed, U -> U Q is Haar preserving).
 * <ul>
 *   <li>{@link Kind#PLAQUETTE} ("direction update") in the plane (mu, nu): active U_mu(x) at x_mu = a, x_nu = b
 *   (mod 2); active loop the plaquette P_munu(x), Q = U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag (U_mu(x+nu) has the
 *   other nu parity). Context: for every plane (mu, rho), rho != mu, the plaquettes P_murho(y) none of whose two
 *   mu-links is active.</li>
 *   <li>{@link Kind#STAPLES} ("location update") of direction mu: active U_mu(x) at x_nu = b and
 *   sum_{rho != mu, nu} x_rho = a (mod 2) (in d = 2 the sum is empty and a = 0). A neighbour x +- rho of an
 *   active site, rho != mu, has one of the two parities flipped, so all 2(d-1) staples of an active link are
 *   frozen; active loop P = Proj_SU(N)(U sum_k alpha_k S_k) over those staples (Eqs. (12), (13), learned alpha).
 *   Context: the 2x1 loops Tr S_i^dag S_j of sites whose staples are all frozen, and the frozen plaquettes
 *   P_murho(y) as above (in d = 2 there are none; in d >= 3 the second parity leaves frozen plaquettes next to
 *   every active link, in the planes (mu, rho) one step away along a direction of the other parity group).</li>
 * </ul>
 * The stencil is the 3x3 neighbourhood in the (mu, nu) plane plus the two neighbours along every other
 * perpendicular direction; in d >= 3 only the (offset, loop family) pairs that are frozen at active sites are
 * fed to the network (in d = 2 the whole 3x3 stencil is kept, zeros included, so 2D models keep their shapes).
 */
public final class SUNCouplingLayer extends Module implements Transform {

    /** Direction update on a single plaquette, or location update on all staples of the link. */
    public enum Kind { PLAQUETTE, STAPLES }

    private final SUN group;
    private final Lattice lattice;
    private final Kind kind;
    private final int mu;
    private final int nu;
    private final int a;
    private final int b;
    private final int[] perpendicular;       // nu first, then the other directions != mu in ascending order
    private final boolean[] active;          // per site rank
    private final long[] activeRanks;        // flat site ranks of the active links
    private final Tensor activeSites;        // the same as a Long tensor
    private final Family[] families;         // loop families of the context, in feature order
    private final List<Term> terms;          // (stencil offset, family) pairs fed to the network, in order
    private final Tensor[] neighbours;       // per stencil offset: ranks of x + offset for the active x (Long)
    private final int features;
    private final SpectralFlow flow;
    private final Tensor alpha;              // STAPLES only: one weight per staple

    /**
     * A family of frozen-loop features: per-site channels and the sites where they are frozen; plane = -1 for
     * the 2x1 loops Tr S_i^dag S_j, otherwise the plaquettes P_{mu, plane}.
     */
    private record Family(int plane, int channels, boolean[] frozen, Tensor mask) {}

    /** One block of network inputs: family {@code family} read at stencil offset {@code offset}. */
    private record Term(int offset, int family) {}

    /**
     * @param kind PLAQUETTE (direction update) or STAPLES (location update)
     * @param mu   direction of the active links
     * @param nu   PLAQUETTE: the plane (mu, nu) of the active plaquettes; STAPLES: the perpendicular direction of
     *             the first parity (and of the context stencil's plane)
     * @param a    PLAQUETTE: parity of x_mu; STAPLES: parity of the sum of the coordinates other than x_mu, x_nu
     *             (0 in d = 2)
     * @param b    parity of x_nu
     */
    public SUNCouplingLayer(SUN group, Lattice lattice, Kind kind, int mu, int nu, int a, int b, int[] hidden, int bins,
            int rotation, double initScale, FieldOptions options, Rng init) {
        lattice.checkDirection(mu);
        lattice.checkDirection(nu);
        if (mu == nu) throw new IllegalArgumentException("coupling plane (" + mu + ", " + nu + "): expected mu != nu");
        int d = lattice.dims();
        for (int dir = 0; dir < d; dir++) {
            if (lattice.extent(dir) % 2 != 0) {
                throw new IllegalArgumentException("lattice extent L_" + dir + " = " + lattice.extent(dir)
                        + ": expected an even extent for the coupling masks");
            }
        }
        if (a < 0 || a > 1 || b < 0 || b > 1) {
            throw new IllegalArgumentException("mask parities a = " + a + ", b = " + b + ": expected 0 or 1");
        }
        if (kind == Kind.STAPLES && d == 2 && a != 0) {
            throw new IllegalArgumentException("location mask a = " + a + " on " + lattice
                    + ": expected 0 (no direction besides mu and nu in d = 2)");
        }
        this.group = group;
        this.lattice = lattice;
        this.kind = kind;
        this.mu = mu;
        this.nu = nu;
        this.a = a;
        this.b = b;
        this.perpendicular = perpendicular(d, mu, nu);
        int vol = Math.toIntExact(lattice.volume());
        active = new boolean[vol];
        List<Long> act = new ArrayList<>();
        for (int r = 0; r < vol; r++) {
            active[r] = isActive(lattice.coordinates(r));
            if (active[r]) act.add((long) r);
        }
        long[] idx = act.stream().mapToLong(Long::longValue).toArray();
        if (idx.length == 0) {
            throw new IllegalArgumentException("coupling mask " + kind + " (" + mu + ", " + nu + "; " + a + ", " + b + ") on "
                    + lattice + ": no active links");
        }
        activeRanks = idx;
        // register_buffer / register_parameter return references into the module's dictionaries, which move
        // when the dictionaries grow: keep our own (shared) handles instead
        activeSites = torch.tensor(idx).to(options.torchDevice(), torch.ScalarType.Long);
        register_buffer("active", activeSites);

        // context loop families and the sites where each is frozen
        List<Family> fam = new ArrayList<>();
        if (kind == Kind.STAPLES) {
            int staples = 2 * (d - 1);
            boolean[] frozen = new boolean[vol];
            for (int r = 0; r < vol; r++) {
                boolean ok = true;
                for (int rho : perpendicular) {
                    ok &= !active[(int) lattice.neighbour(r, rho, 1)] && !active[(int) lattice.neighbour(r, rho, -1)];
                }
                frozen[r] = ok;
            }
            addFamily(fam, -1, staples * (staples - 1), frozen, options);
        }
        for (int rho : perpendicular) {
            boolean[] frozen = new boolean[vol];
            for (int r = 0; r < vol; r++) frozen[r] = !active[r] && !active[(int) lattice.neighbour(r, rho, 1)];
            addFamily(fam, rho, 2, frozen, options);
        }
        families = fam.toArray(new Family[0]);

        // stencil offsets: the 3x3 of the (mu, nu) plane (mu outer), then -e, +e for the other perpendicular e
        List<int[]> offsets = new ArrayList<>();
        for (int dm = -1; dm <= 1; dm++) {
            for (int dn = -1; dn <= 1; dn++) {
                int[] o = new int[d];
                o[mu] += dm;
                o[nu] += dn;
                offsets.add(o);
            }
        }
        for (int k = 1; k < perpendicular.length; k++) {
            for (int s = -1; s <= 1; s += 2) {
                int[] o = new int[d];
                o[perpendicular[k]] = s;
                offsets.add(o);
            }
        }
        neighbours = new Tensor[offsets.size()];
        List<Term> t = new ArrayList<>();
        int nFeatures = 0;
        for (int o = 0; o < offsets.size(); o++) {
            long[] at = new long[idx.length];
            for (int i = 0; i < idx.length; i++) at[i] = displaced(idx[i], offsets.get(o));
            neighbours[o] = Tensors.retain(torch.tensor(at).to(options.torchDevice(), torch.ScalarType.Long));
            for (int g = 0; g < families.length; g++) {
                boolean frozenSomewhere = false;
                for (long r : at) frozenSomewhere |= families[g].frozen()[(int) r];
                if (d == 2 || frozenSomewhere) {
                    t.add(new Term(o, g));
                    nFeatures += families[g].channels();
                }
            }
        }
        terms = List.copyOf(t);
        features = nFeatures;
        flow = register_module("flow", new SpectralFlow(group, features, hidden, bins, rotation, initScale, options, init));
        if (kind == Kind.STAPLES) {
            double[] ones = new double[2 * (d - 1)];
            Arrays.fill(ones, 1.0);
            alpha = Tensors.fromArray(ones, ones.length).to(options.torchDevice(), options.precision().realType());
            register_parameter("alpha", alpha);
        } else {
            alpha = null;
        }
    }

    /** nu first, then the directions other than mu and nu in ascending order. */
    static int[] perpendicular(int d, int mu, int nu) {
        int[] p = new int[d - 1];
        int k = 0;
        p[k++] = nu;
        for (int rho = 0; rho < d; rho++) if (rho != mu && rho != nu) p[k++] = rho;
        return p;
    }

    private boolean isActive(int[] x) {
        if ((x[nu] & 1) != b) return false;
        if (kind == Kind.PLAQUETTE) return (x[mu] & 1) == a;
        int rest = 0;
        for (int rho = 0; rho < x.length; rho++) if (rho != mu && rho != nu) rest += x[rho];
        return (rest & 1) == a;
    }

    private long displaced(long r, int[] offset) {
        int[] x = lattice.coordinates(r);
        for (int k = 0; k < x.length; k++) x[k] += offset[k];
        return lattice.rank(x);
    }

    /** Adds a family unless it is frozen nowhere (never in 2D location updates' plaquettes). */
    private void addFamily(List<Family> fam, int plane, int channels, boolean[] frozen, FieldOptions options) {
        boolean any = false;
        double[] m = new double[frozen.length];
        for (int r = 0; r < frozen.length; r++) {
            m[r] = frozen[r] ? 1 : 0;
            any |= frozen[r];
        }
        if (!any) return;
        Tensor mask = Tensors.retain(Tensors.fromArray(m, 1, frozen.length, 1).to(options.torchDevice(),
                options.precision().realType()));
        fam.add(new Family(plane, channels, frozen, mask));
    }

    public Kind kind() { return kind; }

    public int direction() { return mu; }

    /** The plane partner nu (PLAQUETTE) or the first-parity direction (STAPLES). */
    public int partner() { return nu; }

    /** The parities (a, b) of the mask (see the constructor). */
    public int[] parities() { return new int[] {a, b}; }

    /** Number of context features per active link fed to the spectral flow. */
    public int contextFeatures() { return features; }

    /** Whether link U_mu(x), x of site rank r, is updated by this layer (only links of direction {@link #direction}). */
    public boolean updates(int direction, long r) { return direction == mu && active[Math.toIntExact(r)]; }

    /** Site ranks of the active links, in the order of {@link #contextOf} and {@link #frozenPartOf}. */
    public long[] activeRanks() { return activeRanks.clone(); }

    @Override public Transformed forward(Tensor links, Tensor context) { return couple(links, false); }

    @Override public Transformed inverse(Tensor links, Tensor context) { return couple(links, true); }

    /** What the layer computes from the frozen links: Q at the active sites and their context features. */
    private record Frozen(Tensor q, Tensor features) {}

    /** The context features [B, active, F] of the active links (for tests: they must not depend on active links). */
    public Tensor contextOf(Tensor links) { return frozen(new GaugeField(group, lattice, links)).features(); }

    /** Q [B, active, N, N] of the active links (for tests: it must not depend on active links). */
    public Tensor frozenPartOf(Tensor links) { return frozen(new GaugeField(group, lattice, links)).q(); }

    private Frozen frozen(GaugeField f) {
        int n = group.n();
        long batch = f.batch();
        long vol = lattice.volume();
        Tensor u = f.link(mu);
        Tensor q;
        Tensor[] staplesB = new Tensor[perpendicular.length];   // S_B of U_mu in the plane (mu, rho), full lattice
        Tensor[] staples = null;
        if (kind == Kind.PLAQUETTE) {
            staplesB[0] = Loops.stapleB(f, mu, nu);          // U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag
            q = flat(staplesB[0], batch, vol).index_select(1, activeSites);
        } else {
            staples = new Tensor[2 * perpendicular.length];
            for (int k = 0; k < perpendicular.length; k++) {
                staplesB[k] = Loops.stapleB(f, mu, perpendicular[k]);
                staples[2 * k] = staplesB[k];
                staples[2 * k + 1] = Loops.stapleA(f, mu, perpendicular[k]);
            }
            Tensor al = alpha.to(staples[0].scalar_type());
            Tensor sum = staples[0].mul(al.select(0, 0));
            for (int k = 1; k < staples.length; k++) sum = sum.add(staples[k].mul(al.select(0, k)));
            q = group.project(flat(sum, batch, vol).index_select(1, activeSites));
        }
        // per-family masked features [B, V, c]
        Tensor[] values = new Tensor[families.length];
        for (int g = 0; g < families.length; g++) {
            Family fam = families[g];
            Tensor feat;
            if (fam.plane() < 0) {
                List<Tensor> parts = new ArrayList<>();
                for (int i = 0; i < staples.length; i++) {
                    for (int j = i + 1; j < staples.length; j++) {
                        // a 2x1 loop through both staples, without U_mu(x)
                        parts.add(traceFeatures(dagger(staples[i]).matmul(staples[j]), n));
                    }
                }
                feat = torch.cat(new TensorVector(parts.toArray(new Tensor[0])), -1);
            } else {
                int k = indexOf(perpendicular, fam.plane());
                if (staplesB[k] == null) staplesB[k] = Loops.stapleB(f, mu, fam.plane());
                feat = traceFeatures(u.matmul(staplesB[k]), n);   // P_{mu, rho}(y)
            }
            values[g] = feat.reshape(batch, vol, fam.channels()).mul(fam.mask().to(feat.scalar_type()));
        }
        List<Tensor> parts = new ArrayList<>();
        for (Term t : terms) parts.add(values[t.family()].index_select(1, neighbours[t.offset()]));
        return new Frozen(q, torch.cat(new TensorVector(parts.toArray(new Tensor[0])), -1));
    }

    private Transformed couple(Tensor links, boolean inverse) {
        GaugeField f = new GaugeField(group, lattice, links);
        int n = group.n();
        long batch = f.batch();
        long vol = lattice.volume();
        Tensor u = f.link(mu);
        Frozen fr = frozen(f);
        Tensor qA = fr.q();
        Tensor uA = flat(u, batch, vol).index_select(1, activeSites);
        SpectralFlow.Result r = flow.apply(uA.matmul(qA), fr.features(), inverse);
        // one polar Newton step X <- (X + X^{-dag}) / 2: the identity on SU(N) with the identity derivative along
        // it (so log|det| is unchanged), but it removes the roundoff that took the links off the group. Without
        // it the non-unitary part grows in every update (the spectral flow scales it by the divided differences
        // of its eigenvalue map), to ~1e-10 after one 4D iteration and 1e-6 in inverse(forward(U)) - U.
        Tensor uNew = r.value().matmul(dagger(qA));
        uNew = uNew.add(group.inverseDagger(uNew)).mul(new Scalar(0.5));
        Tensor uAll = flat(u, batch, vol).index_copy(1, activeSites, uNew).reshape(Tensors.shape(u));
        Tensor dirIndex = torch.tensor(new long[] {mu}).to(links.device(), torch.ScalarType.Long);
        Tensor out = links.index_copy(1, dirIndex, uAll.unsqueeze(1));
        return new Transformed(out, r.logDet().sum(new long[] {1}, false, new ScalarTypeOptional()));
    }

    private static Tensor flat(Tensor perSite, long batch, long vol) {
        long n = perSite.size(-1);
        return perSite.reshape(batch, vol, n, n);
    }

    /** (Re, Im) of Tr(loop) / N as the last dim: [B, sites..., 2]. */
    private static Tensor traceFeatures(Tensor loop, int n) {
        Tensor tr = Tensors.trace(loop).div(new Scalar((double) n));
        return torch.stack(new TensorVector(torch.real(tr), torch.imag(tr)), -1);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalStateException("direction " + v + " not perpendicular");
    }
}
