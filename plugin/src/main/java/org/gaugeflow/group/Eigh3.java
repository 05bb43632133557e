package org.gaugeflow.group;

import java.util.Arrays;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.Tensors;

/**
 * Closed-form eigen-decomposition of batched 3 x 3 Hermitian matrices, a drop-in for {@code torch.linalg_eigh}
 * at N = 3 (complex128 and complex64): a fixed sequence of ~70 elementwise tensor ops, where batched LAPACK
 * spends tens of microseconds per tiny matrix. Differentiable by autograd.
 *
 * <p><b>Algorithm.</b> H is Hermitized, (H + H^dag)/2, shifted by its mean eigenvalue m = Tr H / 3 and scaled
 * by s = max |(H - m)_ij|: B = (H - m) / s is traceless with entries of modulus <= 1, and every later
 * quantity is O(1). With p = sqrt(Tr B^2 / 6) >= 1/sqrt(6) and r = det B / (2 p^3) in [-1, 1] the eigenvalues
 * of B are 2 p cos(phi + 2 pi k / 3), phi = acos(r) / 3 (trigonometric solution of the characteristic cubic).
 * Only the <em>isolated</em> eigenvalue is taken from this formula: the largest for r >= 0, the smallest for
 * r < 0. It is at least sqrt(3) p >= 0.7 away from both others, and it is a smooth function of r:
 * mu = sign(r) 2 p c(|r|) with c the largest root of 4 c^3 - 3 c = |r|, c in [sqrt(3)/2, 1], whose derivative
 * 1 / (12 c^2 - 3) lies in [1/9, 1/6] (acos's infinite slope at |r| = 1 cancels against cos). c is computed
 * as cos(acos(|r|)/3) (clamped argument, detached) followed by one Newton step on the cubic in which only |r|
 * carries the gradient: the value is polished, and the gradient is the exact implicit derivative everywhere,
 * including |r| = 1 (two equal eigenvalues).
 *
 * <p>Its eigenvector v is a row of the cofactor matrix of B - mu 1 (cross products of rows of B - mu 1): that
 * matrix is g conj(v) v^T with g the product of the two other gaps (g >= 1/2), so the row k with the
 * largest diagonal entry has norm >= g / sqrt(3) and v = row / |row| never divides by a small number. The
 * other two eigenvectors lie in v's orthogonal complement, spanned exactly by w1 = (e_j - v conj(v_j)) /
 * |...| (j: v's smallest component, |w1|^2 = 1 - |v_j|^2 >= 2/3) and w2 = conj(v x w1). The remaining pair
 * of eigenvalues and eigenvectors comes from the 2 x 2 Hermitian K = W^dag B W = [[a, b], [conj(b), d]]:
 * mu_pm = (a + d)/2 +- rho, rho = sqrt(((a - d)/2)^2 + |b|^2) (no cancellation), and the eigenvector of mu_+
 * is (rho + delta, conj(b)) for delta = (a - d)/2 >= 0 and (b, rho - delta) otherwise (norm >= rho), that of
 * mu_- the orthogonal (-conj(y_1), conj(y_0)). So V = [W y_-, W y_+, v] (in ascending order) is unitary to
 * rounding for every input, near-degenerate pairs are resolved as well as the 2 x 2 problem allows (errors
 * eps / gap in their eigenvectors, as for any solver), and eigenvalues are accurate to eps |H| (backward
 * stable: the neglected coupling v^dag B W is O(eps)). Eigenvalues come out ascending, as from linalg_eigh.
 *
 * <p><b>Degenerate inputs and gradients.</b> H = m 1 (s at most 1e-280 in float64, 1e-30 in float32) gives
 * B = 0, all eigenvalues m and V the identity up to a column order; there the gradient of every eigenvalue
 * is 1/3 (the derivative of the mean) and V carries no gradient. An exactly degenerate pair (rho^2 at most
 * that threshold) gives eigenvectors W (1, 0) and W (0, 1) (any orthonormal basis of the eigenspace is
 * valid); the pair's eigenvalue gradients are then the derivative of their mean (a + d)/2, and within the
 * pair the eigenvector gradients are zero. Elsewhere autograd differentiates the formulas above; the only
 * unbounded gradients are the intrinsic 1 / gap ones of the pair's eigenvectors. Eigenvalue gradients are
 * bounded everywhere.
 *
 * <p><b>Phase convention</b> (differs from LAPACK's; use phase-invariant quantities such as projectors
 * v v^dag, |V_ij| or diag(V^dag X V)): the isolated eigenvector has its largest-magnitude component real and
 * positive; the pair's eigenvectors are W y with y's first (delta >= 0) or second (delta < 0) component real
 * and nonnegative, relative to the basis W above. The phases are a deterministic, piecewise smooth function of
 * H.
 */
public final class Eigh3 {
    private Eigh3() {}

    /** Eigenvalues [..., 3] (real, ascending) and eigenvectors [..., 3, 3] (columns) of Hermitian h [..., 3, 3]. */
    public record Result(Tensor values, Tensor vectors) {}

    /** The eigen-decomposition of batched Hermitian 3 x 3 matrices h [..., 3, 3] (complex128 or complex64). */
    public static Result eigh(Tensor h) {
        long[] shape = Tensors.shape(h);
        if (shape.length < 2 || shape[shape.length - 1] != 3 || shape[shape.length - 2] != 3) {
            throw new IllegalArgumentException("Eigh3 input shape " + Arrays.toString(shape) + ": expected [..., 3, 3]");
        }
        torch.ScalarType type = h.scalar_type();   // JNI enums: compare native values
        boolean dbl = type.value == torch.ScalarType.ComplexDouble.value;
        if (!dbl && type.value != torch.ScalarType.ComplexFloat.value) {
            throw new IllegalArgumentException("Eigh3 input type " + type + ": expected complex128 or complex64");
        }
        torch.ScalarType real = dbl ? torch.ScalarType.Double : torch.ScalarType.Float;
        double tiny = dbl ? 1e-280 : 1e-30;
        Tensor x = h.reshape(-1, 3, 3);
        long b = x.size(0);
        ScalarTypeOptional keep = new ScalarTypeOptional();
        Tensor eye = torch.eye(3, x.options());

        // shift and scale: B = (H - m) / s, traceless, max |B_ij| = 1
        Tensor herm = x.add(Tensors.dagger(x)).mul(new Scalar(0.5));
        Tensor mean = torch.real(herm.diagonal(0, -2, -1)).mean(new long[] {-1}, true, keep);        // [b, 1]
        Tensor a = herm.sub(eye.mul(mean.unsqueeze(-1)));
        Tensor scale = a.abs().amax(new long[] {-2, -1}, true);                                      // [b, 1, 1]
        Tensor ok = scale.gt(new Scalar(tiny));
        Tensor okf = ok.to(real);
        Tensor bm = a.div(torch.where(ok, scale, new Scalar(1.0))).mul(okf);
        Tensor s = scale.mul(okf).view(b, 1);

        // isolated eigenvalue mu = sign(r) 2 p c(|r|)
        Tensor frob2 = abs2(bm).sum(new long[] {-2, -1}, false, keep);                                // [b]
        Tensor p = torch.where(ok.view(b), frob2.div(new Scalar(6.0)), new Scalar(1.0)).sqrt();
        Tensor det = torch.real(bm.select(-2, 0).mul(torch.linalg_cross(bm.select(-2, 1), bm.select(-2, 2), -1))
                .sum(new long[] {-1}, false, keep));
        Tensor r = det.div(p.pow(new Scalar(3)).mul(new Scalar(2.0)));
        Tensor sign;
        Tensor c0;
        try (NoGradGuard g = new NoGradGuard()) {
            sign = r.detach().ge(new Scalar(0.0)).to(real).mul(new Scalar(2.0)).sub(new Scalar(1.0));
            Tensor xd = r.detach().mul(sign).clamp(new org.bytedeco.pytorch.ScalarOptional(new Scalar(0.0)),
                    new org.bytedeco.pytorch.ScalarOptional(new Scalar(1.0)));
            c0 = torch.cos(torch.acos(xd).div(new Scalar(3.0)));
        }
        Tensor xr = r.mul(sign);
        Tensor c0sq = c0.square();
        // one Newton step on 4 c^3 - 3 c - |r| = 0 with c0 constant: value polished, gradient d|r| / (12 c^2 - 3)
        Tensor c = c0.sub(c0sq.mul(new Scalar(4.0)).sub(new Scalar(3.0)).mul(c0).sub(xr)
                .div(c0sq.mul(new Scalar(12.0)).sub(new Scalar(3.0))));
        Tensor muIso = sign.mul(p).mul(c).mul(new Scalar(2.0));                                       // [b]

        // its eigenvector: the largest row of the cofactor matrix of B - mu 1
        Tensor cm = bm.sub(eye.mul(muIso.view(b, 1, 1)));
        Tensor cof = torch.linalg_cross(torch.roll(cm, new long[] {-1}, -2), torch.roll(cm, new long[] {-2}, -2), -1);
        Tensor k = torch.real(cof.diagonal(0, -2, -1)).argmax(new LongOptional(-1), true);            // [b, 1]
        Tensor row = cof.gather(-2, k.unsqueeze(-1).expand(b, 1, 3)).squeeze(-2);                    // [b, 3]
        Tensor v = row.div(abs2(row).sum(new long[] {-1}, true, keep).sqrt());

        // orthonormal basis of the complement: w1 = e_j - v conj(v_j) normalized, w2 = conj(v x w1)
        Tensor j = abs2(v).argmin(new LongOptional(-1), true);                                        // [b, 1]
        Tensor vj = v.gather(-1, j);
        Tensor ej = torch.zeros(new long[] {b, 3}, x.options()).scatter(-1, j, new Scalar(1.0));
        Tensor w1 = ej.sub(v.mul(vj.conj_physical()));
        w1 = w1.div(abs2(w1).sum(new long[] {-1}, true, keep).sqrt());
        Tensor w2 = torch.linalg_cross(v, w1, -1).conj_physical();

        // the 2 x 2 problem K = W^dag B W
        Tensor wm = torch.stack(new TensorVector(w1, w2), -1);                                       // [b, 3, 2]
        Tensor km = Tensors.dagger(wm).matmul(bm.matmul(wm));
        Tensor k00 = torch.real(km.select(-1, 0).select(-1, 0));
        Tensor k11 = torch.real(km.select(-1, 1).select(-1, 1));
        Tensor k01 = km.select(-1, 1).select(-1, 0);
        Tensor half = k00.add(k11).mul(new Scalar(0.5));
        Tensor delta = k00.sub(k11).mul(new Scalar(0.5));
        Tensor rho2 = delta.square().add(abs2(k01));
        Tensor okr = rho2.gt(new Scalar(tiny));
        Tensor okrf = okr.to(real);
        Tensor rho = torch.where(okr, rho2, new Scalar(1.0)).sqrt().mul(okrf);
        Tensor pos = delta.ge(new Scalar(0.0)).to(real);
        Tensor neg = pos.neg().add(new Scalar(1.0));
        Tensor y0 = delta.add(rho).mul(pos).add(k01.mul(neg));
        Tensor y1 = k01.conj_physical().mul(pos).add(rho.sub(delta).mul(neg));
        Tensor ny = torch.where(okr, abs2(y0).add(abs2(y1)), new Scalar(1.0)).sqrt();
        y0 = y0.div(ny).mul(okrf).add(okrf.neg().add(new Scalar(1.0)));
        y1 = y1.div(ny).mul(okrf);
        Tensor uPlus = w1.mul(y0.unsqueeze(-1)).add(w2.mul(y1.unsqueeze(-1)));
        Tensor uMinus = w2.mul(y0.conj_physical().unsqueeze(-1)).sub(w1.mul(y1.conj_physical().unsqueeze(-1)));
        Tensor muPlus = half.add(rho);
        Tensor muMinus = half.sub(rho);

        // ascending order: [mu-, mu+, mu_iso] when the isolated one is the largest, else [mu_iso, mu-, mu+]
        Tensor top = sign.gt(new Scalar(0.0)).to(real).view(b, 1);
        Tensor bottom = top.neg().add(new Scalar(1.0));
        Tensor valsTop = torch.stack(new TensorVector(muMinus, muPlus, muIso), -1);
        Tensor valsBottom = torch.stack(new TensorVector(muIso, muMinus, muPlus), -1);
        Tensor vals = valsTop.mul(top).add(valsBottom.mul(bottom));
        Tensor vecsTop = torch.stack(new TensorVector(uMinus, uPlus, v), -1);
        Tensor vecsBottom = torch.stack(new TensorVector(v, uMinus, uPlus), -1);
        Tensor vecs = vecsTop.mul(top.unsqueeze(-1)).add(vecsBottom.mul(bottom.unsqueeze(-1)));
        Tensor values = mean.add(s.mul(vals));

        long[] valueShape = Arrays.copyOf(shape, shape.length - 1);
        return new Result(values.reshape(valueShape), vecs.reshape(shape));
    }

    /** |z|^2 elementwise as re^2 + im^2 (differentiable at z = 0, unlike abs). */
    private static Tensor abs2(Tensor z) { return torch.real(z).square().add(torch.imag(z).square()); }
}
