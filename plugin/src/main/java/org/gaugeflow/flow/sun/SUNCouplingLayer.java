package org.gaugeflow.flow.sun;

import static org.gaugeflow.tensor.Tensors.dagger;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
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
 * A gauge-equivariant SU(N) coupling layer on a 2D lattice (Boyda et al. 2021; the direction/location
 * update scheme of Abbott et al. 2023, arXiv:2305.02402), acting on link tensors [B, d, L_{d-1}..L_0, N, N].
 *
 * <p>Active links U_mu(x) on a masked set of sites are updated through an active loop P(x) = U_mu(x) Q(x),
 * where Q(x) is built from frozen links only: U_mu'(x) = f(P) Q^dag = P' P^dag U_mu(x) (the push-back of
 * Eq. (14)), f a {@link SpectralFlow} whose parameters come from a stencil of frozen, gauge-invariant loop
 * traces around x. Active links never share an active loop and no context loop contains an active link, so
 * the Jacobian is block-diagonal: log|det| is the sum over active links of the spectral flow's log|det| at P
 * (Q is fixed, U -> U Q is Haar preserving).
 * <ul>
 *   <li>{@link Kind#PLAQUETTE} ("direction update"): active U_mu(x) at x_mu = a, x_nu = b (mod 2); active loop the
 *   plaquette P_munu(x), Q = U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag; context the plaquettes with y_mu != a (mod 2),
 *   which contain no active link.</li>
 *   <li>{@link Kind#STAPLES} ("location update"): active U_mu(x) at x_nu = b (mod 2); active loop
 *   P = Proj_SU(N)(U (alpha_1 S_+ + alpha_2 S_-)) with the staples on both sides (Eqs. (12), (13), learned alpha);
 *   context the 2x1 loops Tr S_+^dag S_- at sites of parity b, which contain no active link.</li>
 * </ul>
 */
public final class SUNCouplingLayer extends Module implements Transform {

    /** Direction update on a single plaquette, or location update on both staples. */
    public enum Kind { PLAQUETTE, STAPLES }

    private static final int STENCIL = 3;

    private final SUN group;
    private final Lattice lattice;
    private final Kind kind;
    private final int mu;
    private final int nu;
    private final int a;
    private final int b;
    private final Tensor activeSites;   // flat site ranks of the active links (Long)
    private final Tensor contextMask;   // [L_{d-1}..L_0, 1] real 0/1: frozen context loops
    private final SpectralFlow flow;
    private final Tensor alpha;         // STAPLES only

    /**
     * @param a mask offset along mu (PLAQUETTE only)
     * @param b mask offset along nu
     */
    public SUNCouplingLayer(SUN group, Lattice lattice, Kind kind, int mu, int nu, int a, int b, int[] hidden, int bins,
            int rotation, double initScale, FieldOptions options, Rng init) {
        if (lattice.dims() != 2) {
            throw new IllegalArgumentException("lattice " + lattice + ": expected d = 2 for SU(N) coupling layers");
        }
        lattice.checkDirection(mu);
        lattice.checkDirection(nu);
        if (mu == nu) throw new IllegalArgumentException("coupling plane (" + mu + ", " + nu + "): expected mu != nu");
        for (int dir = 0; dir < 2; dir++) {
            if (lattice.extent(dir) % 2 != 0) {
                throw new IllegalArgumentException("lattice extent L_" + dir + " = " + lattice.extent(dir)
                        + ": expected an even extent for the coupling masks");
            }
        }
        this.group = group;
        this.lattice = lattice;
        this.kind = kind;
        this.mu = mu;
        this.nu = nu;
        this.a = a & 1;
        this.b = b & 1;
        long vol = lattice.volume();
        List<Long> active = new ArrayList<>();
        double[] mask = new double[(int) vol];
        for (long r = 0; r < vol; r++) {
            int[] x = lattice.coordinates(r);
            boolean nuOk = (x[nu] & 1) == this.b;
            boolean muOk = (x[mu] & 1) == this.a;
            if (kind == Kind.PLAQUETTE ? nuOk && muOk : nuOk) active.add(r);
            mask[(int) r] = kind == Kind.PLAQUETTE ? (muOk ? 0 : 1) : (nuOk ? 1 : 0);
        }
        long[] idx = active.stream().mapToLong(Long::longValue).toArray();
        // register_buffer / register_parameter return references into the module's dictionaries, which move
        // when the dictionaries grow: keep our own (shared) handles instead
        activeSites = torch.tensor(idx).to(options.torchDevice(), torch.ScalarType.Long);
        register_buffer("active", activeSites);
        long[] siteShape = java.util.Arrays.copyOfRange(GaugeField.siteShape(lattice, 1), 1, 3);
        contextMask = Tensors.fromArray(mask, siteShape[0], siteShape[1], 1)
                .to(options.torchDevice(), options.precision().realType());
        register_buffer("contextMask", contextMask);
        int features = 2 * STENCIL * STENCIL;
        flow = register_module("flow", new SpectralFlow(group, features, hidden, bins, rotation, initScale, options, init));
        alpha = kind == Kind.STAPLES
                ? Tensors.fromArray(new double[] {1, 1}, 2).to(options.torchDevice(), options.precision().realType())
                : null;
        if (alpha != null) register_parameter("alpha", alpha);
    }

    public Kind kind() { return kind; }

    public int direction() { return mu; }

    @Override public Transformed forward(Tensor links, Tensor context) { return couple(links, false); }

    @Override public Transformed inverse(Tensor links, Tensor context) { return couple(links, true); }

    private Transformed couple(Tensor links, boolean inverse) {
        GaugeField f = new GaugeField(group, lattice, links);
        int n = group.n();
        long batch = f.batch();
        long vol = lattice.volume();
        Tensor u = f.link(mu);
        Tensor q;
        Tensor loop;   // the frozen context loop field [B, sites..., N, N]
        if (kind == Kind.PLAQUETTE) {
            q = Loops.stapleB(f, mu, nu);          // U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag
            loop = u.matmul(q);                     // P_munu(x)
        } else {
            Tensor sPlus = Loops.stapleB(f, mu, nu);
            Tensor sMinus = Loops.stapleA(f, mu, nu);
            Tensor al = alpha.to(sPlus.scalar_type());
            q = group.project(sPlus.mul(al.select(0, 0)).add(sMinus.mul(al.select(0, 1))));
            loop = dagger(sPlus).matmul(sMinus);   // a 2x1 loop through both staples, without U_mu(x)
        }
        Tensor tr = Tensors.trace(loop).div(new Scalar((double) n));
        Tensor feat = torch.stack(new TensorVector(torch.real(tr), torch.imag(tr)), -1).mul(contextMask);
        Tensor stencil = stencil(feat);
        Tensor uA = u.reshape(batch, vol, n, n).index_select(1, activeSites);
        Tensor qA = q.reshape(batch, vol, n, n).index_select(1, activeSites);
        Tensor fA = stencil.reshape(batch, vol, stencil.size(-1)).index_select(1, activeSites);
        SpectralFlow.Result r = flow.apply(uA.matmul(qA), fA, inverse);
        Tensor uNew = r.value().matmul(dagger(qA));
        Tensor uAll = u.reshape(batch, vol, n, n).index_copy(1, activeSites, uNew).reshape(Tensors.shape(u));
        Tensor dirIndex = torch.tensor(new long[] {mu}).to(links.device(), torch.ScalarType.Long);
        Tensor out = links.index_copy(1, dirIndex, uAll.unsqueeze(1));
        return new Transformed(out, r.logDet().sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
    }

    /** The 3x3 neighbourhood (in the mu, nu plane) of a per-site feature field [B, sites..., c] -> [B, sites..., 9c]. */
    private Tensor stencil(Tensor feat) {
        List<Tensor> parts = new ArrayList<>();
        for (int dm = -1; dm <= 1; dm++) {
            for (int dn = -1; dn <= 1; dn++) {
                parts.add(GaugeField.shift(GaugeField.shift(feat, 2, mu, dm), 2, nu, dn));
            }
        }
        return torch.cat(new TensorVector(parts.toArray(new Tensor[0])), -1);
    }
}
