package org.gaugeflow.multiscale;

import static org.gaugeflow.tensor.Tensors.dagger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.spectral.SpectralFlow;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * The SU(N) staple-conditional model of Sec. 3.1: a Haar prior r(z) = 1, then iterations of
 * spectral flows acting on the effective loop P = Proj_SU(N)(U sum_i alpha_i S_i) (Eqs. (12), (13)),
 * pushed back by U' = P' P^dag U (Eq. (14)), each iteration with its own learned alpha_i.
 *
 * <p>Since the polar projection commutes with left multiplication by U in SU(N),
 * P = U Q with Q = Proj_SU(N)(sum_i alpha_i S_i) depending on the staples only, and Eq. (14) reads
 * U' = f(U Q) Q^dag: a right translation (Haar measure preserving), the spectral flow f, and the inverse
 * translation. The log-Jacobian of an iteration is therefore exactly that of the spectral flow at P
 * (tested against autograd in {@code SUNStapleConditionalModelTest}); the inverse is U = f^{-1}(U' Q) Q^dag.
 * Gauge covariance: with S_i -> Omega(y+nu) S_i Omega(y)^dag and U -> Omega(y) U Omega(y+nu)^dag, P is conjugated
 * by Omega(y), f is conjugation equivariant and its context (traces of products of two staples) is invariant.
 *
 * <p>Context shapes follow {@link StapleConditionalModel}: staples [B, sites..., n, N, N], links [B, sites..., N, N].
 */
public final class SUNStapleConditionalModel extends Module implements StapleConditionalModel {
    private final SUN group;
    private final int staples;
    private final List<SpectralFlow> flows = new ArrayList<>();
    private final Tensor alpha;   // [iterations, staples]

    /**
     * @param iterations number of (alpha, spectral flow) iterations
     * @param hidden     hidden widths of each spectral flow's context networks
     * @param bins       spline bins
     * @param initScale  scale of the networks' last layers at start (0: the identity map, i.e. Haar)
     */
    public SUNStapleConditionalModel(SUN group, int staples, int iterations, int[] hidden, int bins, double initScale,
            FieldOptions options, Rng init) {
        if (staples < 1) throw new IllegalArgumentException("staples = " + staples + ": expected >= 1");
        if (iterations < 1) throw new IllegalArgumentException("iterations = " + iterations + ": expected >= 1");
        this.group = group;
        this.staples = staples;
        for (int it = 0; it < iterations; it++) {
            flows.add(register_module("flow" + it,
                    new SpectralFlow(group, featureCount(staples), hidden, bins, it, initScale, options, init)));
        }
        // alpha starts at 1 for every staple (P is the projected staple sum, as in the heatbath of Eq. (6)),
        // slightly different per iteration so that the iterations see different loops
        double[] a = new double[iterations * staples];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < staples; i++) a[it * staples + i] = 1.0 + 0.25 * it * (i % 2 == 0 ? 1 : -1) / iterations;
        }
        // keep our own handle: register_parameter returns a reference into the module's dictionary
        alpha = Tensors.fromArray(a, iterations, staples).to(options.torchDevice(), options.precision().realType());
        register_parameter("alpha", alpha);
    }

    /** Number of gauge-invariant features of n staples: Tr S_i^dag S_i, and Re/Im of Tr S_i^dag S_j, Tr S_i S_j^dag (i < j). */
    public static int featureCount(int staples) { return staples + 2 * staples * (staples - 1); }

    @Override public GaugeGroup group() { return group; }

    @Override public int staples() { return staples; }

    public int iterations() { return flows.size(); }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        long[] sites = siteShape(context, n);
        Tensor z = group.haar(rng, sites);
        SpectralFlow.Result r = apply(z, context, false);
        return new Sample(r.value(), perSample(r.logDet()).neg());
    }

    @Override public Tensor logProb(Tensor u, Tensor context) {
        siteShape(context, u.size(0));
        SpectralFlow.Result r = apply(u, context, true);
        return perSample(r.logDet());
    }

    /**
     * The model's flow U -> U' (or its inverse) for links [B, sites..., N, N] given staples
     * [B, sites..., n, N, N], with the per-link log|det J| of the map applied.
     */
    public SpectralFlow.Result apply(Tensor u, Tensor context, boolean inverse) {
        siteShape(context, u.size(0));
        Tensor feats = features(context);
        Tensor logDet = null;
        int iters = flows.size();
        for (int step = 0; step < iters; step++) {
            int it = inverse ? iters - 1 - step : step;
            Tensor q = effectiveStaple(context, it);
            SpectralFlow.Result r = flows.get(it).apply(u.matmul(q), feats, inverse);  // P = U Q, Eq. (12)
            u = r.value().matmul(dagger(q));                                              // U' = P' P^dag U, Eq. (14)
            logDet = logDet == null ? r.logDet() : logDet.add(r.logDet());
        }
        return new SpectralFlow.Result(u, logDet);
    }

    /** Q = Proj_SU(N)(sum_i alpha_i S_i) of iteration it (Eqs. (12), (13) with U factored out). */
    private Tensor effectiveStaple(Tensor context, int it) {
        Tensor a = alpha.select(0, it).to(context.scalar_type());
        Tensor weighted = context.mul(a.view(staples, 1, 1)).sum(new long[] {-3}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional());
        return group.project(weighted);
    }

    /** Gauge-invariant context features [B, sites..., F] of the staples. */
    static Tensor features(Tensor context) {
        int n = (int) context.size(-3);
        double norm = context.size(-1);
        List<Tensor> f = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor si = context.select(-3, i);
            f.add(Tensors.reTrace(dagger(si).matmul(si)).div(new Scalar(norm)));
            for (int j = i + 1; j < n; j++) {
                Tensor sj = context.select(-3, j);
                Tensor a = Tensors.trace(dagger(si).matmul(sj)).div(new Scalar(norm));
                Tensor b = Tensors.trace(si.matmul(dagger(sj))).div(new Scalar(norm));
                f.add(torch.real(a));
                f.add(torch.imag(a));
                f.add(torch.real(b));
                f.add(torch.imag(b));
            }
        }
        return torch.stack(new TensorVector(f.toArray(new Tensor[0])), -1);
    }

    private static Tensor perSample(Tensor perSite) {
        return perSite.dim() > 1 ? perSite.flatten(1, -1).sum(1) : perSite;
    }

    private long[] siteShape(Tensor context, long batch) {
        if (context == null) throw new IllegalArgumentException("staple context null: expected [B, sites..., "
                + staples + ", " + group.n() + ", " + group.n() + "]");
        long[] s = Tensors.shape(context);
        if (s.length < 4 || s[s.length - 3] != staples || s[s.length - 2] != group.n()
                || s[s.length - 1] != group.n() || s[0] != batch) {
            throw new IllegalArgumentException("staple context shape " + Arrays.toString(s) + ": expected [" + batch
                    + ", sites..., " + staples + ", " + group.n() + ", " + group.n() + "]");
        }
        return Arrays.copyOf(s, s.length - 3);
    }
}
