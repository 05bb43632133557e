package org.gaugeflow.group;

import java.util.Arrays;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.Tensors;

/**
 * Closed-form eigen-decomposition of batched 3 x 3 Hermitian matrices, a drop-in for {@code torch.linalg_eigh}
 * at N = 3 (complex128 and complex64), differentiable by autograd. The batch is moved to the last dimension
 * ([3, 3, batch]: every op runs over contiguous batch rows) and the whole decomposition is ~100 tensor ops
 * of closed formulas, with no per-matrix LAPACK calls.
 *
 * <p><b>Algorithm.</b> H is Hermitized, (H + H^dag)/2, shifted by its mean eigenvalue m = Tr H / 3 and scaled
 * by s = max |Re, Im (H - m)_ij|: B = (H - m) / s is traceless with entries of modulus <= sqrt(2), and every
 * later quantity is O(1) (no overflow or underflow in the cubic, in float32 too). With p = sqrt(Tr B^2 / 6)
 * >= 1/sqrt(6) and r = det B / (2 p^3) in [-1, 1] the eigenvalues of B are 2 p cos(phi + 2 pi k / 3),
 * phi = acos(r) / 3 (trigonometric solution of the characteristic cubic). Only the <em>isolated</em>
 * eigenvalue is taken from this formula: the largest for r >= 0, the smallest for r < 0. It is at least
 * sqrt(3) p away from both others, and it is a smooth function of r: mu = sign(r) 2 p c(|r|) with c the largest
 * root of 4 c^3 - 3 c = |r|, c in [sqrt(3)/2, 1], whose derivative 1 / (12 c^2 - 3) lies in [1/9, 1/6] (acos's
 * infinite slope at |r| = 1 cancels against cos). c is computed as cos(acos(|r|)/3) (clamped argument,
 * detached) followed by one Newton step on the cubic in which only |r| carries the gradient: the value is
 * polished, and the gradient is the exact implicit derivative everywhere, including |r| = 1 (a degenerate pair).
 *
 * <p>Its eigenvector v is a row of the cofactor matrix of B - mu 1 (cross products of rows of B - mu 1): that
 * matrix is g conj(v) v^T with g the product of the two other gaps, g >= 3 p^2 >= 1/2, so the
 * row k with the largest (real, positive) diagonal entry has norm >= g / sqrt(3) and v = row / |row| never
 * divides by a small number. The other two eigenvectors lie in v's orthogonal complement, spanned exactly by
 * w1 = (e_{k+1} conj(v_k) - e_k conj(v_{k+1})) / |...| (|w1|^2 >= |v_k|^2 >= 1/3; indices mod 3) and
 * w2 = conj(v x w1). The remaining pair comes from the 2 x 2 Hermitian K = W^dag B W = [[a, b], [conj(b), d]]
 * with a + d = Tr B - mu = -mu: mu_pm = (a + d)/2 +- rho, rho = sqrt(((a - d)/2)^2 + |b|^2) (no cancellation),
 * and the eigenvector of mu_+ is (rho + delta, conj(b)) for delta = (a - d)/2 >= 0 and (b, rho - delta) otherwise
 * (norm >= rho), that of mu_- the orthogonal (-conj(y_1), conj(y_0)). So V = [W y_-, W y_+, v] (ascending
 * order) is unitary to rounding for every input, a near-degenerate pair is resolved as well as its 2 x 2
 * problem allows (eigenvector errors eps / gap, as for any solver), and the eigenvalues are accurate to
 * eps |H| (backward stable: the neglected coupling v^dag B W is O(eps)). Eigenvalues come out ascending, as
 * from linalg_eigh.
 *
 * <p><b>Degenerate inputs and gradients.</b> H = m 1 (s at most 1e-280 in float64, 1e-30 in float32) gives
 * B = 0, all eigenvalues m and a permutation of the identity as V; there the gradient of every eigenvalue is
 * 1/3 (the derivative of the mean) and V carries no gradient. An exactly degenerate pair (rho^2 at most that
 * threshold) gives eigenvectors W (1, 0) and W (0, 1) (any orthonormal basis of the eigenspace is valid); the
 * pair's eigenvalue gradients are then the derivative of their mean, and within the pair the eigenvector
 * gradients are zero. Elsewhere autograd differentiates the formulas above, with safe denominators (where) at
 * those thresholds; the only unbounded gradients are the intrinsic 1 / gap ones of a near-degenerate pair's
 * eigenvectors. Eigenvalue gradients are bounded everywhere, and the gradient of a spectral sum
 * sum_i f(lambda_i) is f'(H) also at degenerate spectra.
 *
 * <p><b>Phase convention</b> (differs from LAPACK's; use phase-invariant quantities such as projectors
 * v v^dag, |V_ij| or diag(V^dag X V)): the isolated eigenvector has its component k (the largest diagonal
 * cofactor, |v_k| >= 1/sqrt(3)) real and positive; the pair's eigenvectors are W y with y's first (delta >= 0)
 * or second (delta < 0) component real and nonnegative, in the basis W above. The phases are a deterministic,
 * piecewise smooth function of H.
 */
public final class Eigh3 {
    private Eigh3() {}

    /** Eigenvalues [..., 3] (real, ascending) and eigenvectors [..., 3, 3] (columns) of Hermitian h [..., 3, 3]. */
    public record Result(Tensor values, Tensor vectors) {}

    /** The eigen-decomposition of batched Hermitian 3 x 3 matrices h [..., 3, 3] (complex128 or complex64). */
    public static Result eigh(Tensor h) {
        Shifted sh = shifted(h);
        long b = sh.b();
        Tensor bm = sh.bm();
        Tensor p = sh.p();
        Scalar zero = new Scalar(0.0), one = new Scalar(1.0), two = new Scalar(2.0);
        ScalarTypeOptional keep = new ScalarTypeOptional();
        double tiny = sh.tiny();

        // isolated eigenvalue mu = sign(r) 2 p c(|r|): cos(acos(|r|)/3), then a Newton step carrying the gradient
        Tensor sign;
        Tensor c0;
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor rd = sh.r().detach();
            sign = torch.where(rd.ge(zero), one, new Scalar(-1.0));
            c0 = torch.cos(torch.acos(rd.mul(sign).clamp(new ScalarOptional(zero), new ScalarOptional(one)))
                    .mul(new Scalar(1.0 / 3)));
        }
        Tensor c0sq = c0.square();
        Tensor residual = c0sq.mul(new Scalar(4.0)).sub(new Scalar(3.0)).mul(c0).sub(sh.r().mul(sign));
        Tensor c = c0.sub(residual.div(c0sq.mul(new Scalar(12.0)).sub(new Scalar(3.0))));
        Tensor mu = sign.mul(p).mul(c).mul(two);                                  // [b]

        // its eigenvector: the row of the cofactor matrix Q of C = B - mu 1 with the largest diagonal entry
        Tensor cm = bm.sub(sh.eye().mul(mu));
        Tensor q = torch.linalg_cross(torch.roll(cm, new long[] {-1}, 0), torch.roll(cm, new long[] {-2}, 0), 1);
        Tensor qd = torch.real(q.diagonal(0, 0, 1));                              // [b, 3]
        Tensor q0 = qd.select(-1, 0), q1 = qd.select(-1, 1), q2 = qd.select(-1, 2);
        Tensor k0 = q0.ge(q1).logical_and(q0.ge(q2));
        Tensor k1 = k0.logical_not().logical_and(q1.ge(q2));
        Tensor k2 = k0.logical_or(k1).logical_not();
        Tensor row = torch.where(k0, q.select(0, 0), torch.where(k1, q.select(0, 1), q.select(0, 2)));   // [3, b]
        Tensor v = row.mul(norm2(row, keep).rsqrt());

        // complement: w = e_{k+1} conj(v_k) - e_k conj(v_{k+1}) normalized, u = conj(v x w)
        Tensor mask = torch.stack(new TensorVector(k0, k1, k2), 0);              // one-hot of k, [3, b]
        Tensor cv = v.conj_physical();
        Tensor w = torch.roll(cv.mul(mask), new long[] {1}, 0).sub(torch.roll(cv, new long[] {-1}, 0).mul(mask));
        w = w.mul(norm2(w, keep).rsqrt());
        Tensor t = torch.linalg_cross(v, w, 0);                                  // conj(u)
        Tensor u = t.conj_physical();

        // K = [w u]^dag B [w u]: a = w^dag B w, b = w^dag B u = conj(u^dag B w), a + d = Tr B - mu = -mu
        Tensor bw = bm.mul(w.unsqueeze(0)).sum(new long[] {1}, false, keep);     // B w, [3, b]
        Tensor ka = torch.real(w.conj_physical().mul(bw).sum(new long[] {0}, false, keep));
        Tensor kb = t.mul(bw).sum(new long[] {0}, false, keep).conj_physical();
        Tensor center = mu.mul(new Scalar(-0.5));
        Tensor delta = ka.sub(center);
        Tensor rho2 = delta.square().add(abs2(kb));
        Tensor okr = rho2.gt(new Scalar(tiny));
        Tensor rho = torch.where(okr, rho2, one).sqrt().mul(okr);
        Tensor pos = delta.ge(zero);
        Tensor y0 = torch.where(pos, cplx(delta.add(rho)), kb);
        Tensor y1 = torch.where(pos, kb.conj_physical(), cplx(rho.sub(delta)));
        Tensor yInv = torch.where(okr, abs2(y0).add(abs2(y1)), one).rsqrt();
        y0 = torch.where(okr, y0.mul(yInv), one);
        y1 = y1.mul(yInv).mul(okr);
        Tensor plus = w.mul(y0).add(u.mul(y1));                                   // [3, b]
        Tensor minus = u.mul(y0.conj_physical()).sub(w.mul(y1.conj_physical()));

        // ascending: [mu-, mu+, mu] when the isolated eigenvalue is the largest (r >= 0), else [mu, mu-, mu+];
        // stacked along leading dims (contiguous writes), returned as transposed views
        Tensor top = sign.gt(zero);
        Tensor muPlus = center.add(rho), muMinus = center.sub(rho);
        Tensor vals = torch.where(top, torch.stack(new TensorVector(muMinus, muPlus, mu), 0),
                torch.stack(new TensorVector(mu, muMinus, muPlus), 0));
        Tensor values = sh.mean().add(sh.s().mul(vals)).t();                     // [b, 3]
        Tensor vectors = torch.where(top, torch.stack(new TensorVector(minus, plus, v), 1),
                torch.stack(new TensorVector(v, minus, plus), 1)).permute(2, 0, 1);   // [b, 3 (component), 3 (vector)]
        long[] shape = sh.shape();
        return new Result(values.reshape(Arrays.copyOf(shape, shape.length - 1)), vectors.reshape(shape));
    }

    /**
     * Eigenvalues [..., 3] (ascending) of Hermitian h [..., 3, 3] from the trigonometric formula alone, for
     * comparing eigenvalue gaps: cheaper than {@link #eigh}, accurate to eps |H| except for the two members
     * of a nearly degenerate pair (gap below ~1e-4 |H| in float64), whose error grows to ~sqrt(eps) |H| at
     * exact degeneracy (acos near +-1). No gradient guarantees; use {@link #eigh} for derivatives.
     */
    public static Tensor eigenvalues(Tensor h) {
        Shifted sh = shifted(h);
        Tensor phi;
        try (NoGradGuard g = new NoGradGuard()) {
            phi = torch.acos(sh.r().clamp(new ScalarOptional(new Scalar(-1.0)), new ScalarOptional(new Scalar(1.0))))
                    .mul(new Scalar(1.0 / 3));
        }
        Tensor twoP = sh.p().mul(new Scalar(2.0)).mul(sh.s());
        Tensor high = torch.cos(phi).mul(twoP);
        Tensor low = torch.cos(phi.add(new Scalar(2 * Math.PI / 3))).mul(twoP);
        Tensor mid = torch.cos(phi.sub(new Scalar(2 * Math.PI / 3))).mul(twoP);
        Tensor values = torch.stack(new TensorVector(low, mid, high), 0).add(sh.mean()).t();
        long[] shape = sh.shape();
        return values.reshape(Arrays.copyOf(shape, shape.length - 1));
    }

    /**
     * The common start: B = (Hermitian part - m) / s as [3, 3, b] (row, column, batch) with m, s [b], p =
     * sqrt(Tr B^2 / 6) and r = det B / (2 p^3) [b], the identity [3, 3, 1], the input shape and the threshold.
     */
    private record Shifted(long[] shape, long b, Tensor bm, Tensor mean, Tensor s, Tensor p, Tensor r, Tensor eye,
            double tiny) {}

    private static Shifted shifted(Tensor h) {
        long[] shape = Tensors.shape(h);
        if (shape.length < 2 || shape[shape.length - 1] != 3 || shape[shape.length - 2] != 3) {
            throw new IllegalArgumentException("Eigh3 input shape " + Arrays.toString(shape) + ": expected [..., 3, 3]");
        }
        torch.ScalarType type = h.scalar_type();   // JNI enums: compare native values
        boolean dbl = type.value == torch.ScalarType.ComplexDouble.value;
        if (!dbl && type.value != torch.ScalarType.ComplexFloat.value) {
            throw new IllegalArgumentException("Eigh3 input type " + type + ": expected complex128 or complex64");
        }
        double tiny = dbl ? 1e-280 : 1e-30;
        Scalar one = new Scalar(1.0);
        ScalarTypeOptional keep = new ScalarTypeOptional();
        long b = h.numel() / 9;
        // [3, 3, b] layout: every elementwise op runs over contiguous batch rows
        Tensor x = h.reshape(b, 9).t().contiguous().view(3, 3, b);
        Tensor herm = x.add(x.transpose(0, 1).conj()).mul(new Scalar(0.5));
        Tensor mean = torch.real(herm.diagonal(0, 0, 1)).sum(new long[] {-1}, false, keep).mul(new Scalar(1.0 / 3));
        Tensor eye = torch.eye(3, mean.options()).unsqueeze(-1);
        Tensor a = herm.sub(eye.mul(mean));
        // s = max |Re, Im (H - m)_ij|; B = 0 where s <= tiny
        Tensor scale = torch.maximum(torch.real(a).abs(), torch.imag(a).abs()).amax(new long[] {0, 1}, false);
        Tensor ok = scale.gt(new Scalar(tiny));
        Tensor inv = torch.where(ok, scale, one).reciprocal().mul(ok);
        Tensor bm = a.mul(inv);
        Tensor frob2 = abs2(bm).sum(new long[] {0, 1}, false, keep);
        Tensor p = torch.where(ok, frob2.mul(new Scalar(1.0 / 6)), one).sqrt();
        Tensor det = torch.real(bm.select(0, 0).mul(torch.linalg_cross(bm.select(0, 1), bm.select(0, 2), 0))
                .sum(new long[] {0}, false, keep));
        Tensor r = det.div(p.mul(p).mul(p).mul(new Scalar(2.0)));
        return new Shifted(shape, b, bm, mean, scale.mul(ok), p, r, eye, tiny);
    }

    /**
     * |z|^2 summed over dim 0 (the vector component) of complex z [3, b]: [b]. (Reductions run over leading
     * dimensions only, vectorized along the batch; a reduction over view_as_real's trailing re/im pair is ~20
     * times slower.)
     */
    private static Tensor norm2(Tensor z, ScalarTypeOptional keep) {
        return abs2(z).sum(new long[] {0}, false, keep);
    }

    /** A real tensor as complex (imaginary part 0). */
    private static Tensor cplx(Tensor t) {
        return t.to(t.scalar_type().value == torch.ScalarType.Double.value ? torch.ScalarType.ComplexDouble
                : torch.ScalarType.ComplexFloat);
    }

    /** |z|^2 elementwise as re^2 + im^2 (differentiable at z = 0, unlike abs). */
    private static Tensor abs2(Tensor z) { return torch.real(z).square().add(torch.imag(z).square()); }
}
