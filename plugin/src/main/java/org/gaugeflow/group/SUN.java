package org.gaugeflow.group;

import java.util.Arrays;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/** SU(N), N >= 2: unitary N x N matrices with unit determinant. */
public final class SUN implements GaugeGroup {
    /** Scaled Newton iterations of the polar decomposition, then unscaled ones for the last digits. */
    private static final int POLAR_SCALED_ITERATIONS = 10;
    private static final int POLAR_PLAIN_ITERATIONS = 2;

    private final int n;

    public SUN(int n) {
        if (n < 2) throw new IllegalArgumentException("SU(N) with N = " + n + ": expected N >= 2");
        this.n = n;
    }

    @Override public int n() { return n; }

    @Override public String name() { return "su" + n; }

    @Override public int algebraDimension() { return n * n - 1; }

    @Override public Tensor identity(FieldOptions options, long... batchShape) {
        return torch.eye(n, options.complex()).expand(withMatrix(batchShape)).contiguous();
    }

    /**
     * Haar measure on SU(N) (Mezzadri 2007): Q R = Z for a complex Gaussian Z, Q diag(R_ii/|R_ii|) is
     * Haar on U(N); dividing by det^{1/N} maps it to SU(N) and commutes with left multiplication by
     * SU(N), so the result is Haar on SU(N).
     */
    @Override public Tensor haar(Rng rng, long... batchShape) {
        Tensor z = rng.complexNormal(withMatrix(batchShape));
        T_TensorTensor_T qr = torch.linalg_qr(z);
        Tensor q = qr.get0();
        Tensor d = qr.get1().diagonal(0, -2, -1);
        Tensor phases = d.div(d.abs());
        return removeDeterminantPhase(q.mul(phases.unsqueeze(-2)));
    }

    /**
     * Eq. (13): Proj_SU(N)(M) = M (M^dag M)^{-1/2} / det[M (M^dag M)^{-1/2}]^{1/N}. The unitary polar
     * factor is computed by Higham's scaled Newton iteration X <- (zeta X + (zeta X)^{-dag}) / 2,
     * which is differentiable with no eigenvalue gaps in its gradient (stable for near-degenerate and
     * near-singular M), and leaves unitary matrices unchanged.
     *
     * <p>Branch cut of the N-th root: a sum of two SU(N) matrices has a real determinant
     * (det(A + B) = prod_k 2 cos(phi_k / 2) for A^dag B = diag(e^{i phi})), so det = -1 -- the principal
     * branch cut -- happens on a set of positive measure for staple sums, where rounding would pick between
     * center elements and break gauge covariance. The projection is therefore applied to e^{i gamma} M with a
     * fixed gamma (N gamma = 1.2 < pi for N >= 3), which moves the cut to a set of measure zero; the result is
     * still in SU(N), equals M on SU(N), and is covariant: Proj(O1 M O2^dag) = O1 Proj(M) O2^dag.
     */
    @Override public Tensor project(Tensor m) {
        Tensor x = m.mul(new Scalar(new org.bytedeco.pytorch.DoubleComplex(Math.cos(branchCutRotation()),
                Math.sin(branchCutRotation()))));
        for (int k = 0; k < POLAR_SCALED_ITERATIONS + POLAR_PLAIN_ITERATIONS; k++) {
            Tensor invDagger = inverseDagger(x);
            if (k < POLAR_SCALED_ITERATIONS) {
                Tensor zeta = frobenius(invDagger).div(frobenius(x)).sqrt();
                x = x.mul(zeta).add(invDagger.div(zeta)).mul(new Scalar(0.5));
            } else {
                x = x.add(invDagger).mul(new Scalar(0.5));
            }
        }
        return removeDeterminantPhase(x);
    }

    /**
     * (X^{-1})^dag of batched N x N matrices. For N = 2, 3 by cofactors, X^{-dag} = conj(C) / conj(det X)
     * with C the cofactor matrix (rows of C are cross products of rows of X for N = 3): a handful of
     * elementwise products, far cheaper than LAPACK on many tiny matrices. Other N use linalg_inv.
     */
    public Tensor inverseDagger(Tensor x) {
        Tensor cof = cofactors(x);
        if (cof == null) return Tensors.dagger(torch.linalg_inv(x));
        return cof.div(determinantFromCofactors(x, cof).unsqueeze(-1).unsqueeze(-1)).conj().resolve_conj();
    }

    /** det X; by cofactors for N = 2, 3 (the backward of batched linalg_det on tiny matrices is very slow). */
    public Tensor determinant(Tensor x) {
        Tensor cof = cofactors(x);
        return cof == null ? torch.linalg_det(x) : determinantFromCofactors(x, cof);
    }

    /** The cofactor matrix C (X^{-1} = C^T / det X) for N = 2, 3; null for other N. */
    private Tensor cofactors(Tensor x) {
        if (n == 2) {
            // C = [[d, -c], [-b, a]] for X = [[a, b], [c, d]]: swap both the rows and the columns, negate off-diagonal
            return x.flip(new long[] {-2, -1}).mul(offDiagonalSign(x));
        }
        if (n == 3) {
            // rows of C are cross products of the rows of X: C_i = r_{i+1} x r_{i+2}
            Tensor r1 = Tensors.shift(x, -2, 1); // row i -> row i+1
            Tensor r2 = Tensors.shift(x, -2, 2); // row i -> row i+2
            return Tensors.shift(r1, -1, 1).mul(Tensors.shift(r2, -1, 2))
                    .sub(Tensors.shift(r1, -1, 2).mul(Tensors.shift(r2, -1, 1)));
        }
        return null;
    }

    /** Laplace expansion along row 0, shape [...]. */
    private static Tensor determinantFromCofactors(Tensor x, Tensor cof) {
        return x.select(-2, 0).mul(cof.select(-2, 0)).sum(new long[] {-1}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional());
    }

    /** gamma of the branch-cut rotation in {@link #project}: 0.4 for N <= 3, N gamma = 1.2 beyond. */
    private double branchCutRotation() { return n <= 3 ? 0.4 : 1.2 / n; }

    private static Tensor offDiagonalSign(Tensor like) {
        double[] sign = {1, -1, -1, 1};
        return Tensors.fromArray(sign, 2, 2).to(like.device(), like.scalar_type());
    }

    /** exp(i P) by the matrix exponential. */
    @Override public Tensor expI(Tensor p) { return torch.linalg_matrix_exp(Tensors.timesI(p)); }

    /**
     * P = sum_a pi_a T_a, pi_a ~ N(0,1): density proportional to exp(-Tr P^2) on traceless Hermitian
     * matrices. With G complex normal (Re, Im variance 1/2), H = (G + G^dag)/2 has diagonal variance 1/2 and
     * off-diagonal Re, Im variance 1/4, as exp(-Tr H^2) requires; removing the trace projects it.
     */
    @Override public Tensor randomAlgebra(Rng rng, long... batchShape) {
        Tensor g = rng.complexNormal(withMatrix(batchShape));
        Tensor h = g.add(Tensors.dagger(g)).mul(new Scalar(0.5));
        return traceless(h);
    }

    /** (1/2) sum_a pi_a^2 = Tr P^2. */
    @Override public Tensor algebraNormSquaredHalf(Tensor p) { return Tensors.reTrace(p.matmul(p)); }

    @Override public Tensor algebraGradientOfReTrace(Tensor w) {
        Tensor b = Tensors.timesI(w.sub(Tensors.dagger(w))).mul(new Scalar(-0.5)); // (W - W^dag) / (2i)
        return traceless(b).mul(new Scalar(0.5));
    }

    /** H - Tr(H)/N * 1. */
    public Tensor traceless(Tensor h) {
        Tensor tr = Tensors.trace(h).div(new Scalar((double) n));
        Tensor eye = torch.eye(n, new org.bytedeco.pytorch.TensorOptions().dtype(
                new org.bytedeco.pytorch.ScalarTypeOptional(h.scalar_type())).device(
                new org.bytedeco.pytorch.DeviceOptional(h.device())));
        return h.sub(tr.unsqueeze(-1).unsqueeze(-1).mul(eye));
    }

    /** U / det(U)^{1/N} with the principal branch of the N-th root of det's phase. */
    private Tensor removeDeterminantPhase(Tensor u) {
        Tensor phi = determinant(u).angle().div(new Scalar((double) -n));
        Tensor phase = torch.polar(torch.ones_like(phi), phi);
        return u.mul(phase.unsqueeze(-1).unsqueeze(-1));
    }

    private static Tensor frobenius(Tensor m) {
        Tensor a = m.abs();
        return a.mul(a).sum(new long[] {-2, -1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt();
    }


    private long[] withMatrix(long[] batchShape) {
        long[] s = Arrays.copyOf(batchShape, batchShape.length + 2);
        s[batchShape.length] = n;
        s[batchShape.length + 1] = n;
        return s;
    }

    @Override public boolean equals(Object o) { return o instanceof SUN s && s.n == n; }

    @Override public int hashCode() { return n; }

    @Override public String toString() { return "SU(" + n + ")"; }
}
