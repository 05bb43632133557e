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
 * cos and sin of the frozen plaquettes P_munu, a {@link CircularSpline} maps each active plaquette
 * P -> P' = h(P), and the updated link becomes theta_mu(x) + P'(x) - P(x). Plaquettes are gauge
 * invariant, so the layer commutes with gauge transformations; log|det| = sum over active plaquettes
 * of log h'(P). The context network is 2D (d = 2); the masks are general in d.
 */
public final class U1CouplingLayer extends Module implements Transform {
    private final Lattice lattice;
    private final CouplingMask mask;
    private final CircularSpline spline;
    private final ContextNet net;
    private final Tensor frozen;

    public U1CouplingLayer(Lattice lattice, CouplingMask mask, int bins, int[] hidden, int kernel,
                           FieldOptions options, Rng init) {
        if (lattice.dims() != 2) {
            throw new IllegalArgumentException("lattice " + lattice + ": the U(1) coupling layer's context network expects d = 2");
        }
        mask.check(lattice);
        this.lattice = lattice;
        this.mask = mask;
        this.spline = new CircularSpline(bins);
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
        Tensor p = plaquetteAngle(theta, d, mu, mask.nu());
        Tensor f = frozen.to(p.scalar_type());
        Tensor in = torch.stack(new TensorVector(torch.cos(p).mul(f), torch.sin(p).mul(f)), 1); // [B, 2, L1, L0]
        long nuDim = mask.nuDim(d);
        // spline parameters on the active rows only: [B, 3K, rows] -> [B, rows..., 3K]
        Tensor paramsActive = net.apply(in, (int) nuDim + 1, mask.offset()).permute(0, 2, 3, 1);
        long len = lattice.extent(mask.nu());
        LongOptional start = new LongOptional(mask.offset());
        LongOptional end = new LongOptional(len);
        Tensor pActive = CircularSpline.reduce(p.slice(nuDim, start, end, 4));
        CircularSpline.Result r = inverse ? spline.inverse(pActive, paramsActive) : spline.forward(pActive, paramsActive);
        Tensor delta = torch.zeros_like(p).slice_scatter(r.value().sub(pActive), nuDim, start, end, 4);
        Tensor[] dirs = new Tensor[d];
        for (int a = 0; a < d; a++) dirs[a] = a == mu ? theta.select(1, a).add(delta) : theta.select(1, a);
        Tensor out = torch.stack(new TensorVector(dirs), 1);
        Tensor logDet = r.logDerivative().flatten(1, -1).sum(new long[] {1});
        return new Transformed(out, logDet);
    }
}
