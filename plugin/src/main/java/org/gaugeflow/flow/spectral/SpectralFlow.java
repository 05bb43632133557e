package org.gaugeflow.flow.spectral;

import static org.gaugeflow.tensor.Tensors.dagger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.group.Eigh3;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Tensors;

/**
 * A spectral flow on SU(N) (Boyda et al. 2021, "Sampling using SU(N) gauge equivariant flows"): a map
 * f(W P W^dag) = W f(P) W^dag that keeps the eigenvectors of P and moves its eigenvalues.
 *
 * <p><b>Eigenvalues.</b> The eigenphases are lifted to the Weyl alcove theta_1 >= ... >= theta_N,
 * theta_1 - theta_N <= 2 pi, sum theta = 0 (the fundamental domain of the Weyl group acting on the maximal
 * torus), described by the gaps g_k = theta_k - theta_{k+1} (k < N) and g_N = 2 pi - theta_1 + theta_N,
 * g >= 0, sum g = 2 pi: a simplex whose faces g_k = 0 are the degenerate eigenvalues. The map is a
 * stick-breaking bijection of that simplex that keeps every face: s_k = g_k / (g_k + ... + g_N) in [0, 1],
 * s_k -> h_k(s_k) with monotone rational-quadratic splines h_k(0) = 0, h_k(1) = 1 whose parameters come
 * from gauge-invariant context features and s_1..s_{k-1} (autoregressive). Because faces go to faces,
 * degenerate eigenvalues stay degenerate and f is a continuous class-function-equivariant map. A fixed
 * cyclic relabeling of the gaps ({@code gapRotation}) varies which gap is broken first between layers.
 *
 * <p><b>Density.</b> Haar measure on SU(N) restricted to eigenvalues is W(theta) d^{N-1}theta with the Weyl
 * factor W = prod_{i<j} |e^{i theta_i} - e^{i theta_j}|^2 = prod 4 sin^2((theta_i - theta_j)/2), so
 * log|det J_f| = log|d theta'/d theta| + log W(theta') - log W(theta), with
 * log|d theta'/d theta| = sum_k [log h_k'(s_k) + log R'_k - log R_k] (R_k = g_k + ... + g_N, the stick lengths).
 * Every factor is computed from gaps and stick ratios (no differences of nearly equal numbers), so the
 * log-Jacobian stays accurate near degenerate eigenvalues.
 *
 * <p><b>Stability.</b> P is diagonalized through the Hermitian H = a P + conj(a) P^dag (P is normal), taking per
 * matrix the phase a among N(N-1)/2 + 1 candidates that keeps H's eigenvalue gaps open, so that accidental
 * degeneracies of H never spoil the eigenvectors: by LAPACK the candidate with the largest smallest gap of H,
 * for N = 3 by default the one with the largest |det(a^2 - P)| (from Tr P; H's gaps are P's gaps times
 * |a^2 - lambda_k|) and for large batches the closed-form {@link Eigh3} ({@link Eigensolver}). The eigenvectors V are then held
 * constant (detached) and f(P) is written as P' = V [diag(e^{i theta'}) + G o offdiag(V^dag P V)] V^dag with
 * eigenvalues read from diag(V^dag P V) (first-order exact for normal P) and the divided differences
 * G_ij = (e^{i theta'_i} - e^{i theta'_j}) / (e^{i theta_i} - e^{i theta_j}) = e^{i(...)/2} sin(d'/2)/sin(d/2)
 * (Daleckii-Krein). Its value is f(P) and its first derivative is exact, while the 1/gap eigenvector
 * gradients of eigh never appear: G is a bounded ratio of gap functions (see docs/su3.md).
 */
public final class SpectralFlow extends Module implements Transform {
    private final SUN group;
    private final int n;
    private final int features;
    private final int bins;
    private final int rotation;
    private final List<ContextNetwork> nets = new ArrayList<>();

    /** The transformed matrices and the per-matrix log|det J| (shape [batch...]). */
    public record Result(Tensor value, Tensor logDet) {}

    /**
     * @param group       SU(N)
     * @param features    number of gauge-invariant context features per matrix (0: none)
     * @param hidden      hidden layer widths of the context networks
     * @param bins        spline bins
     * @param gapRotation which gap is broken first (0..N-1)
     * @param initScale   scale of the networks' last layers at start (0: the identity map)
     * @param init        stream of the initial network weights ({@link org.gaugeflow.flow.WeightInit})
     */
    public SpectralFlow(SUN group, int features, int[] hidden, int bins, int gapRotation, double initScale,
            FieldOptions options, Rng init) {
        if (bins < 2) throw new IllegalArgumentException("spline bins = " + bins + ": expected >= 2");
        if (features < 0) throw new IllegalArgumentException("context features = " + features + ": expected >= 0");
        this.group = group;
        this.n = group.n();
        this.features = features;
        this.bins = bins;
        this.rotation = Math.floorMod(gapRotation, n);
        for (int k = 0; k < n - 1; k++) {
            nets.add(register_module("net" + k, new ContextNetwork(features + k, hidden,
                    IntervalSpline.parameterCount(bins), initScale, options, init)));
        }
    }

    public SUN group() { return group; }

    public int contextFeatures() { return features; }

    /** Transform view: x [B, ..., N, N], context features [B, ..., F] (or null when F = 0); logDet summed to [B]. */
    @Override public Transformed forward(Tensor x, Tensor context) { return summed(apply(x, context, false)); }

    @Override public Transformed inverse(Tensor y, Tensor context) { return summed(apply(y, context, true)); }

    private static Transformed summed(Result r) {
        Tensor ld = r.logDet();
        return new Transformed(r.value(), ld.dim() > 1 ? ld.flatten(1, -1).sum(1) : ld);
    }

    /** f(P) (or f^{-1}(P)) with the per-matrix log|det| of the map that was applied. */
    public Result apply(Tensor p, Tensor context, boolean inverse) {
        long[] shape = Tensors.shape(p);
        if (shape.length < 2 || shape[shape.length - 1] != n || shape[shape.length - 2] != n) {
            throw new IllegalArgumentException("spectral flow input shape " + Arrays.toString(shape)
                    + ": expected [..., " + n + ", " + n + "]");
        }
        long[] batch = Arrays.copyOf(shape, shape.length - 2);
        Tensor flat = p.reshape(-1, n, n);
        Tensor feats = null;
        if (features > 0) {
            if (context == null) throw new IllegalArgumentException("spectral flow context null: expected "
                    + features + " features per matrix");
            long[] cs = Tensors.shape(context);
            if (cs[cs.length - 1] != features) {
                throw new IllegalArgumentException("spectral flow context shape " + Arrays.toString(cs)
                        + ": expected [..., " + features + "]");
            }
            feats = context.reshape(-1, features);
        }
        Result r = inverse ? inverseFlat(flat, feats) : forwardFlat(flat, feats);
        long[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = n;
        outShape[batch.length + 1] = n;
        return new Result(r.value().reshape(outShape), r.logDet().reshape(batch));
    }

    // ---------------------------------------------------------------- eigen-decomposition

    /** Sorted eigenvectors (detached, columns in alcove order) and the 2 pi offsets of the lift. */
    private record Eigen(Tensor vectors, Tensor offset) {}

    /**
     * Eigenvectors of batched SU(N) matrices p [b, N, N] (unitary, hence normal): V [b, N, N] unitary with V^dag P V
     * diagonal, columns in any order and with any phases. The flow calls it without gradient and uses V only
     * through V^dag P V and V (...) V^dag, so phases are free and a solver's own gradients never enter. Every
     * solver diagonalizes the Hermitian H = a P + conj(a) P^dag with, per matrix, a phase a among the N(N-1)/2 + 1
     * candidates e^{i pi c / C} chosen to keep H's eigenvalue gaps open.
     */
    @FunctionalInterface
    public interface Eigensolver {
        Tensor eigenvectors(Tensor p);
    }

    /** LAPACK: {@code linalg_eigvalsh} of all candidates, {@code linalg_eigh} of the chosen one. Any N. */
    public static final Eigensolver LINALG_EIGH = p -> torch.linalg_eigh(candidate(p, bestCandidateByEigenvalues(p))).get1();

    /**
     * Closed form for N = 3: the candidate from Tr P alone ({@link #su3BestCandidate}: no candidate matrices,
     * no eigenvalues), {@link Eigh3} of it; LAPACK for other N.
     */
    public static final Eigensolver CLOSED_FORM = p -> p.size(-1) != 3 ? LINALG_EIGH.eigenvectors(p)
            : Eigh3.eigh(candidate(p, su3BestCandidate(p))).vectors();

    /**
     * Smallest batch from which {@link #AUTO} diagonalizes the chosen candidate by the closed-form {@link Eigh3}:
     * below it LAPACK's ~1-2 us per 3 x 3 matrix beats the closed form's fixed cost of ~100 small tensor ops
     * (measured with Eigh3Benchmark).
     */
    public static final long AUTO_MIN_EIGH = 8192;

    /** The default: for N = 3 the candidate from Tr P, then the cheaper of LAPACK and Eigh3 for the batch size. */
    public static final Eigensolver AUTO = p -> {
        if (p.size(-1) != 3) return LINALG_EIGH.eigenvectors(p);
        Tensor h = candidate(p, su3BestCandidate(p));
        return p.size(0) >= AUTO_MIN_EIGH ? Eigh3.eigh(h).vectors() : torch.linalg_eigh(h).get1();
    };

    private static volatile Eigensolver eigensolver = AUTO;

    /**
     * Selects the eigen-solver of all spectral flows in this process (tests and benchmarks compare
     * {@link #CLOSED_FORM} with {@link #LINALG_EIGH}; a benchmark may wrap one to see the matrices it gets).
     */
    public static void setEigensolver(Eigensolver solver) {
        if (solver == null) throw new IllegalArgumentException("spectral flow eigen-solver null: expected one");
        eigensolver = solver;
    }

    public static Eigensolver eigensolver() { return eigensolver; }

    private static int candidateCount(long n) { return (int) (n * (n - 1) / 2 + 1); }

    /** H = a_c P + conj(a_c) P^dag with a_c = e^{i pi c / C} for per-matrix candidate indices c = best [b]. */
    static Tensor candidate(Tensor p, Tensor best) {
        int count = candidateCount(p.size(-1));
        double[] re = new double[count];
        double[] im = new double[count];
        for (int c = 0; c < count; c++) {
            re[c] = Math.cos(Math.PI * c / count);
            im[c] = Math.sin(Math.PI * c / count);
        }
        Tensor phases = Tensors.complex(Tensors.fromArray(re, count), Tensors.fromArray(im, count)).to(p.device(), p.scalar_type());
        Tensor ap = p.mul(phases.index_select(0, best).view(-1, 1, 1));
        return ap.add(dagger(ap));
    }

    /** Index [b] of the candidate with the largest smallest eigenvalue gap, from LAPACK eigenvalues of all candidates. */
    static Tensor bestCandidateByEigenvalues(Tensor p) {
        long n = p.size(-1);
        int count = candidateCount(n);
        Tensor[] hs = new Tensor[count];
        for (int c = 0; c < count; c++) {
            double phi = Math.PI * c / count;
            Tensor a = p.mul(new Scalar(new org.bytedeco.pytorch.DoubleComplex(Math.cos(phi), Math.sin(phi))));
            hs[c] = a.add(dagger(a));
        }
        Tensor evals = torch.linalg_eigvalsh(torch.stack(new TensorVector(hs), 0));               // [C, b, n]
        Tensor gap = evals.narrow(-1, 1, n - 1).sub(evals.narrow(-1, 0, n - 1)).amin(new long[] {-1}, false);
        return gap.argmax(new org.bytedeco.pytorch.LongOptional(0), false);
    }

    /**
     * For SU(3), a candidate choice from Tr P alone. With P = sum_k lambda_k v_k v_k^dag, H_a has eigenvalues
     * 2 Re(a lambda_k) and gaps |2 Re(a lambda_i) - 2 Re(a lambda_j)| = |lambda_i - lambda_j| |a - conj(a) conj(lambda_i
     * lambda_j)| = |lambda_i - lambda_j| |a^2 - lambda_k| ({i, j, k} = {1, 2, 3}, det P = 1): H's gaps are P's gaps
     * times the factors |a^2 - lambda_k|, and accidental degeneracies are a^2 near an eigenvalue of P. Their
     * product is |det(a^2 - P)| = |chi(a^2)|, chi(z) = z^3 - tau z^2 + conj(tau) z - 1 (tau = Tr P); for the
     * candidates a^2 = 1, i, -1, -i and tau = x + i y, |chi|^2 = 4 y^2, 2 (x + y - 1)^2, 4 (1 + x)^2, 2 (x - y - 1)^2.
     * Taking the largest: some a^2 is at least pi/4 away from all three eigenvalues (product >= (2 sin(pi/8))^3),
     * so the chosen one has every factor >= 0.11 and H's gaps are at least 0.11 times P's, near degenerate P
     * too. (LAPACK's criterion, the largest smallest gap of H, can let a well-separated eigenvalue of P merge
     * with a nearly degenerate pair in H.) A dozen ops on [b] reals, exact to rounding.
     */
    static Tensor su3BestCandidate(Tensor p) {
        Tensor tau = Tensors.trace(p);
        Tensor x = torch.real(tau), y = torch.imag(tau);
        Tensor one = torch.ones_like(x);
        Tensor c0 = y.square().mul(new Scalar(2.0));                                            // |chi|^2 / 2
        Tensor c1 = x.add(y).sub(one).square();
        Tensor c2 = x.add(one).square().mul(new Scalar(2.0));
        Tensor c3 = x.sub(y).sub(one).square();
        return torch.stack(new TensorVector(c0, c1, c2, c3), 0).argmax(new org.bytedeco.pytorch.LongOptional(0), false);
    }

    private Eigen decompose(Tensor p) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor pd = p.detach();
            long b = pd.size(0);
            Tensor v = eigensolver.eigenvectors(pd);
            Tensor theta0 = torch.angle(dagger(v).matmul(pd).matmul(v).diagonal(0, -2, -1));
            T_TensorTensor_T sorted = torch.sort(theta0, -1, true);
            Tensor vals = sorted.get0();
            Tensor idx = sorted.get1();
            Tensor m = torch.round(vals.sum(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional())
                    .div(new Scalar(2 * Math.PI))).to(torch.ScalarType.Long);                 // [b, 1]
            Tensor ar = torch.arange(new Scalar(n), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)
                    .device(new org.bytedeco.pytorch.DeviceOptional(pd.device()))).unsqueeze(0);
            Tensor pos = ar.add(m).remainder(new Scalar(n));                                    // [b, n]
            Tensor perm = idx.gather(-1, pos);
            Tensor down = m.gt(new Scalar(0)).logical_and(pos.lt(m));
            Tensor up = m.lt(new Scalar(0)).logical_and(pos.ge(m.add(new Scalar(n))));
            Tensor offset = up.to(vals.scalar_type()).sub(down.to(vals.scalar_type())).mul(new Scalar(2 * Math.PI));
            Tensor vs = v.gather(-1, perm.unsqueeze(-2).expand(b, n, n));
            return new Eigen(vs, offset);
        }
    }

    // ---------------------------------------------------------------- alcove coordinates

    /** Gaps [b, N] of alcove-ordered phases theta [b, N]. */
    private Tensor gaps(Tensor theta) {
        Tensor inner = theta.narrow(-1, 0, n - 1).sub(theta.narrow(-1, 1, n - 1));
        Tensor outer = theta.narrow(-1, n - 1, 1).sub(theta.narrow(-1, 0, 1)).add(new Scalar(2 * Math.PI));
        return torch.cat(new TensorVector(inner, outer), -1);
    }

    /** Alcove phases with sum 0 from gaps [b, N]: theta_N = -(1/N) sum_k k g_k, theta_k = theta_N + g_k + ... + g_{N-1}. */
    private Tensor phases(Tensor g) {
        Tensor head = g.narrow(-1, 0, n - 1);
        Tensor weights = torch.arange(new Scalar(1), new Scalar(n), new org.bytedeco.pytorch.TensorOptions(
                g.scalar_type()).device(new org.bytedeco.pytorch.DeviceOptional(g.device())));
        Tensor last = head.mul(weights).sum(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional())
                .div(new Scalar(-(double) n));
        Tensor suffix = head.flip(-1).cumsum(-1).flip(-1);
        return torch.cat(new TensorVector(suffix.add(last), last), -1);
    }

    private double tiny(Tensor t) { return Precision.of(t.scalar_type()) == Precision.DOUBLE ? 1e-300 : 1e-35; }

    /** Stick lengths R_k = g_k + ... + g_N of the rotated gaps, k = 0..N-1. */
    private static Tensor sticks(Tensor gr) { return gr.flip(-1).cumsum(-1).flip(-1); }

    // ---------------------------------------------------------------- the map

    private Tensor netInput(Tensor feats, List<Tensor> previous, long b, Tensor like) {
        List<Tensor> parts = new ArrayList<>();
        if (feats != null) parts.add(feats);
        for (Tensor s : previous) parts.add(s.unsqueeze(-1));
        if (parts.isEmpty()) return torch.ones(new long[] {b, 1}, like.options());
        return parts.size() == 1 ? parts.get(0) : torch.cat(new TensorVector(parts.toArray(new Tensor[0])), -1);
    }

    private Result forwardFlat(Tensor p, Tensor feats) {
        long b = p.size(0);
        Eigen e = decompose(p);
        Tensor m = dagger(e.vectors()).matmul(p).matmul(e.vectors());
        Tensor theta = torch.angle(m.diagonal(0, -2, -1)).add(e.offset());
        Tensor g = gaps(theta);
        Tensor gr = torch.roll(g, new long[] {-rotation}, new long[] {-1});
        Tensor r = sticks(gr);
        double tiny = tiny(theta);
        Tensor rPrime = r.narrow(-1, 0, 1);
        List<Tensor> sPrev = new ArrayList<>();
        List<Tensor> newGaps = new ArrayList<>();
        Tensor logJ = torch.zeros(new long[] {b}, theta.options());
        Tensor logStick = torch.zeros(new long[] {b}, theta.options());   // log R'_k / R_k
        List<Tensor> logGapRatio = new ArrayList<>();                      // log g'_k / g_k
        for (int k = 0; k < n - 1; k++) {
            Tensor rk = r.select(-1, k);
            Tensor ok = rk.gt(new Scalar(tiny));
            Tensor rSafe = torch.where(ok, rk, torch.ones_like(rk));
            Tensor half = torch.full_like(rk, new Scalar(0.5));
            Tensor s = torch.where(ok, gr.select(-1, k).div(rSafe), half);
            Tensor t = torch.where(ok, r.select(-1, k + 1).div(rSafe), half);
            IntervalSpline spline = new IntervalSpline(nets.get(k).forward(netInput(feats, sPrev, b, theta)), bins);
            IntervalSpline.Values v = spline.forward(s, t);
            logJ = logJ.add(v.logDerivative()).add(logStick);
            logGapRatio.add(logStick.add(v.ratioLow().log()));
            logStick = logStick.add(v.ratioHigh().log());
            Tensor rk1 = rPrime.squeeze(-1);
            newGaps.add(rk1.mul(v.h()));
            rPrime = rk1.mul(v.oneMinusH()).unsqueeze(-1);
            sPrev.add(s);
        }
        newGaps.add(rPrime.squeeze(-1));
        logGapRatio.add(logStick);
        Tensor grNew = torch.stack(new TensorVector(newGaps.toArray(new Tensor[0])), -1);
        Tensor gNew = torch.roll(grNew, new long[] {rotation}, new long[] {-1});
        Tensor thetaNew = phases(gNew);
        Weyl w = weyl(gNew, g, unrotate(logGapRatio), tiny);
        return new Result(rebuild(e.vectors(), m, thetaNew, theta, w.pairRatio()), logJ.add(w.logRatio()));
    }

    private Result inverseFlat(Tensor p, Tensor feats) {
        long b = p.size(0);
        Eigen e = decompose(p);
        Tensor m = dagger(e.vectors()).matmul(p).matmul(e.vectors());
        Tensor theta = torch.angle(m.diagonal(0, -2, -1)).add(e.offset());
        Tensor g = gaps(theta);
        Tensor gr = torch.roll(g, new long[] {-rotation}, new long[] {-1});
        Tensor r = sticks(gr);
        double tiny = tiny(theta);
        Tensor rOld = r.narrow(-1, 0, 1);
        List<Tensor> sPrev = new ArrayList<>();
        List<Tensor> oldGaps = new ArrayList<>();
        Tensor logJ = torch.zeros(new long[] {b}, theta.options());
        Tensor logStick = torch.zeros(new long[] {b}, theta.options());
        List<Tensor> logGapRatio = new ArrayList<>();
        for (int k = 0; k < n - 1; k++) {
            Tensor rk = r.select(-1, k);
            Tensor ok = rk.gt(new Scalar(tiny));
            Tensor rSafe = torch.where(ok, rk, torch.ones_like(rk));
            Tensor half = torch.full_like(rk, new Scalar(0.5));
            Tensor y = torch.where(ok, gr.select(-1, k).div(rSafe), half);
            Tensor oneMinusY = torch.where(ok, r.select(-1, k + 1).div(rSafe), half);
            IntervalSpline spline = new IntervalSpline(nets.get(k).forward(netInput(feats, sPrev, b, theta)), bins);
            Tensor[] st = spline.inverse(y, oneMinusY);
            IntervalSpline.Values v = spline.forward(st[0], st[1]);
            logJ = logJ.add(v.logDerivative()).add(logStick);
            logGapRatio.add(logStick.add(v.ratioLow().log()));
            logStick = logStick.add(v.ratioHigh().log());
            Tensor rk0 = rOld.squeeze(-1);
            oldGaps.add(rk0.mul(st[0]));
            rOld = rk0.mul(st[1]).unsqueeze(-1);
            sPrev.add(st[0]);
        }
        oldGaps.add(rOld.squeeze(-1));
        logGapRatio.add(logStick);
        Tensor grOld = torch.stack(new TensorVector(oldGaps.toArray(new Tensor[0])), -1);
        Tensor gOld = torch.roll(grOld, new long[] {rotation}, new long[] {-1});
        Tensor thetaOld = phases(gOld);
        Weyl w = weyl(g, gOld, unrotate(logGapRatio), tiny);   // the forward map gOld -> g
        Tensor inverseRatio = w.pairRatio().reciprocal();
        return new Result(rebuild(e.vectors(), m, thetaOld, theta, inverseRatio), logJ.add(w.logRatio()).neg());
    }

    /** log W(theta') - log W(theta) and the per-pair ratios sin(d'_ij/2)/sin(d_ij/2) [b, N, N] (1 on the diagonal). */
    private record Weyl(Tensor logRatio, Tensor pairRatio) {}

    /** Per-gap log g'_k/g_k [b, N] in the original gap order from the list in stick (rotated) order. */
    private Tensor unrotate(List<Tensor> logGapRatio) {
        Tensor rotated = torch.stack(new TensorVector(logGapRatio.toArray(new Tensor[0])), -1);
        return torch.roll(rotated, new long[] {rotation}, new long[] {-1});
    }

    /**
     * The Weyl factor's change. For eigenvalues i, j adjacent on the circle (every pair for N <= 3) the arc
     * between them is one gap g_k and sin(g'/2)/sin(g/2) = (g'_k/g_k) sinc(g'_k)/sinc(g_k) with the stick
     * ratio g'_k/g_k, which stays exact at g_k = 0. Other pairs (N >= 4) use the shorter arc's sum of gaps.
     */
    private Weyl weyl(Tensor gNew, Tensor gOld, Tensor logGapRatio, double tiny) {
        long b = gNew.size(0);
        Tensor total = torch.zeros(new long[] {b}, gNew.options());
        Tensor[] entries = new Tensor[n * n];
        Tensor one = torch.ones(new long[] {b}, gNew.options());
        for (int i = 0; i < n; i++) entries[i * n + i] = one;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                Tensor lr;
                boolean innerSingle = j == i + 1;
                boolean outerSingle = i == 0 && j == n - 1;
                if (innerSingle && outerSingle) {          // N = 2: take the shorter of the two arcs
                    Tensor a = singleGapTerm(gNew, gOld, logGapRatio, i, tiny);
                    Tensor c = singleGapTerm(gNew, gOld, logGapRatio, n - 1, tiny);
                    lr = torch.where(gOld.select(-1, i).le(gOld.select(-1, n - 1)), a, c);
                } else if (innerSingle || outerSingle) {
                    lr = singleGapTerm(gNew, gOld, logGapRatio, innerSingle ? i : n - 1, tiny);
                } else {
                    lr = logSinArc(gNew, i, j, tiny).sub(logSinArc(gOld, i, j, tiny));
                }
                total = total.add(lr.mul(new Scalar(2)));
                Tensor ratio = lr.exp();
                entries[i * n + j] = ratio;
                entries[j * n + i] = ratio;
            }
        }
        Tensor pair = torch.stack(new TensorVector(entries), -1).view(b, n, n);
        return new Weyl(total, pair);
    }

    /** log sin(d/2) for the arc between eigenvalues i < j, d the shorter of the two arcs as a sum of gaps. */
    private static Tensor logSinArc(Tensor g, int i, int j, double tiny) {
        org.bytedeco.pytorch.ScalarTypeOptional keep = new org.bytedeco.pytorch.ScalarTypeOptional();
        Tensor inner = g.narrow(-1, i, j - i).sum(new long[] {-1}, false, keep);
        Tensor outer = torch.cat(new TensorVector(g.narrow(-1, 0, i), g.narrow(-1, j, g.size(-1) - j)), -1)
                .sum(new long[] {-1}, false, keep);
        Tensor arc = torch.where(inner.le(outer), inner, outer).clamp_min(new Scalar(tiny));
        return torch.sin(arc.mul(new Scalar(0.5))).log();
    }

    /** log sin(g'_k/2) - log sin(g_k/2) = log(g'_k/g_k) + log sinc(g'_k) - log sinc(g_k). */
    private static Tensor singleGapTerm(Tensor gNew, Tensor gOld, Tensor logGapRatio, int k, double tiny) {
        return logGapRatio.select(-1, k).add(logSinc(gNew.select(-1, k), tiny)).sub(logSinc(gOld.select(-1, k), tiny));
    }

    /** log [sin(g/2) / (g/2)]. */
    private static Tensor logSinc(Tensor g, double tiny) {
        return torch.sinc(g.div(new Scalar(2 * Math.PI))).clamp_min(new Scalar(tiny)).log();
    }

    /**
     * P' = V [diag(e^{i theta'}) + G o offdiag(M)] V^dag with M = V^dag P V and the detached divided differences
     * G_ij = e^{i(theta'_i + theta'_j - theta_i - theta_j)/2} sin(d'_ij/2)/sin(d_ij/2).
     */
    private Tensor rebuild(Tensor v, Tensor m, Tensor thetaNew, Tensor thetaOld, Tensor pairRatio) {
        Tensor diag = torch.polar(torch.ones_like(thetaNew), thetaNew).diag_embed();
        Tensor off = m.sub(m.diagonal(0, -2, -1).diag_embed());
        Tensor gmat;
        try (NoGradGuard ng = new NoGradGuard()) {
            Tensor shift = thetaNew.sub(thetaOld).detach();
            Tensor half = shift.unsqueeze(-1).add(shift.unsqueeze(-2)).mul(new Scalar(0.5));
            gmat = torch.polar(pairRatio.detach(), half);
        }
        return v.matmul(diag.add(gmat.mul(off))).matmul(dagger(v));
    }
}
