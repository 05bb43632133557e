package org.gaugeflow.flow.u1;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.flow.spline.CircularSpline;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A gauge-equivariant U(1) coupling layer (Kanwar et al. 2020) acting on link angles
 * theta [B, d, L_{d-1}, ..., L_0]. With the layer's {@link CouplingMask}: the context network reads
 * cos and sin of the frozen plaquettes P_munu, a {@link CircularSpline} followed by a learned rotation maps
 * each active plaquette P -> P' = h(P) + t, and the updated link becomes theta_mu(x) + P'(x) - P(x).
 * Plaquettes are gauge invariant, so the layer commutes with gauge transformations; log|det| = sum over
 * active plaquettes of log h'(P).
 *
 * <p>The rotation t (one more network output per plaquette, as in neumc's U(1) couplings) frees the spline's
 * fixed seam h(0) = 0; without it the 8x8, beta = 2 flow learned about half as fast per step (docs/results.md,
 * "Fine-lattice flow: learning per step"). All-zero network outputs are still the identity.
 *
 * <p>In d > 2 the context network reads the layer's (mu, nu) planes: every plane, at fixed values of the
 * other d - 2 coordinates, is one 2D sample of the network (those coordinates fold into the batch). A
 * plane's frozen plaquettes condition its active ones; plaquettes of other planes are not read, which keeps
 * the layer triangular and equivariant exactly as in d = 2.
 */
public final class U1CouplingLayer extends Module implements Transform {
    private final Lattice lattice;
    private final CouplingMask mask;
    private final CircularSpline spline;
    private final ContextNet net;
    private final Tensor frozen;

    public U1CouplingLayer(Lattice lattice, CouplingMask mask, int bins, int[] hidden, int kernel,
                           FieldOptions options, Rng init) {
        mask.check(lattice);
        this.lattice = lattice;
        this.mask = mask;
        this.spline = new CircularSpline(bins, true);
        this.net = register_module("net", new ContextNet(2, hidden, spline.parameterCount(), kernel, options, init));
        this.frozen = Tensors.retain(mask.frozen(lattice, options));
    }

    public CouplingMask mask() { return mask; }

    /** How the context network is evaluated on the active rows (the same numbers either way; see {@link ContextNet.Evaluation}). */
    public void contextEvaluation(ContextNet.Evaluation e) { net.evaluation(e); }

    /** P_munu(x) = theta_mu(x) + theta_nu(x+mu) - theta_mu(x+nu) - theta_nu(x), shape [B, L_{d-1}..L_0]. */
    static Tensor plaquetteAngle(Tensor theta, int d, int mu, int nu) {
        Tensor tmu = theta.select(1, mu);
        Tensor tnu = theta.select(1, nu);
        return tmu.add(GaugeField.shift(tnu, d, mu, 1)).sub(GaugeField.shift(tmu, d, nu, 1)).sub(tnu);
    }

    @Override public Transformed forward(Tensor theta, Tensor context) { return couple(theta, false); }

    @Override public Transformed inverse(Tensor theta, Tensor context) { return couple(theta, true); }

    private Transformed couple(Tensor theta, boolean inverse) {
        int d = lattice.dims();
        int mu = mask.mu();
        Tensor p = plaquetteAngle(theta, d, mu, mask.nu());          // [B, L_{d-1}, ..., L_0]
        Plane plane = new Plane(p, d, mask);
        Tensor pp = plane.fold(p);                                      // [B', L_a, L_b]: the (mu, nu) planes
        Tensor f = frozen.to(p.scalar_type());
        Tensor in = torch.stack(new TensorVector(plane.fold(torch.cos(p).mul(f)), plane.fold(torch.sin(p).mul(f))), 1); // [B', 2, L_a, L_b]
        // spline parameters on the active rows only: [B', 3K, rows...] -> [B', rows..., 3K]
        Tensor paramsActive = net.apply(in, (int) plane.rowDim + 1, mask.offset()).permute(0, 2, 3, 1);
        LongOptional start = new LongOptional(mask.offset());
        LongOptional end = new LongOptional(pp.size(plane.rowDim));
        Tensor pActive = CircularSpline.reduce(pp.slice(plane.rowDim, start, end, 4));
        CircularSpline.Result r = inverse ? spline.inverse(pActive, paramsActive) : spline.forward(pActive, paramsActive);
        Tensor delta = plane.unfold(torch.zeros_like(pp).slice_scatter(r.value().sub(pActive), plane.rowDim, start, end, 4));
        Tensor[] dirs = new Tensor[d];
        for (int a = 0; a < d; a++) dirs[a] = a == mu ? theta.select(1, a).add(delta) : theta.select(1, a);
        Tensor out = torch.stack(new TensorVector(dirs), 1);
        Tensor logDet = r.logDerivative().reshape(p.size(0), -1).sum(new long[] {1});
        return new Transformed(out, logDet);
    }

    /**
     * The layer's (mu, nu) planes as a batch of 2D lattices: per-site tensors [B, L_{d-1}, ..., L_0] are
     * permuted to [B, other coordinates..., L_a, L_b] (a, b: the mu and nu dims in their tensor order) and
     * reshaped to [B', L_a, L_b]. In d = 2 this is the identity. {@code rowDim} (1 or 2) is nu's dim there.
     */
    private static final class Plane {
        final long[] perm;
        final long[] inversePerm;
        final long[] permutedShape;
        final long rowDim;

        Plane(Tensor perSite, int d, CouplingMask mask) {
            long nuDim = GaugeField.siteDim(d, mask.nu());
            long muDim = GaugeField.siteDim(d, mask.mu());
            long a = Math.min(nuDim, muDim);
            long b = Math.max(nuDim, muDim);
            perm = new long[d + 1];
            int k = 0;
            perm[k++] = 0;
            for (long dim = 1; dim <= d; dim++) if (dim != a && dim != b) perm[k++] = dim;
            perm[k++] = a;
            perm[k] = b;
            inversePerm = new long[d + 1];
            permutedShape = new long[d + 1];
            for (int i = 0; i <= d; i++) {
                inversePerm[(int) perm[i]] = i;
                permutedShape[i] = perSite.size(perm[i]);
            }
            rowDim = nuDim == a ? 1 : 2;
        }

        Tensor fold(Tensor perSite) {
            return perSite.permute(perm).reshape(-1, permutedShape[permutedShape.length - 2], permutedShape[permutedShape.length - 1]);
        }

        Tensor unfold(Tensor planes) { return planes.reshape(permutedShape).permute(inversePerm); }
    }
}
