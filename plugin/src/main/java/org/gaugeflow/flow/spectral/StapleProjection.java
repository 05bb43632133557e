package org.gaugeflow.flow.spectral;

import org.bytedeco.pytorch.DoubleComplex;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.SUN;

/**
 * Eq. (13), Proj_SU(N)(M) = W / det(W)^{1/N} with W the unitary polar factor of M, for the effective loops
 * of the SU(N) models, with two changes to {@link SUN#project}:
 *
 * <p><b>Branch cut.</b> The sum of two SU(N) matrices has a real determinant
 * (det(A + B) = det A prod_k (1 + e^{i phi_k}) = prod_k 2 cos(phi_k / 2) for A^dag B = diag(e^{i phi})), so with equal
 * weights det W = -1 happens on a set of positive measure, exactly on the principal branch cut of the N-th root:
 * rounding then picks between center elements and breaks gauge covariance. Projecting e^{i gamma} M instead
 * (a fixed phase, gamma = 0.4) moves the cut to det W = -e^{-i N gamma}, a set of measure zero; the result is
 * still in SU(N), covariant (Proj(Omega_1 M Omega_2^dag) = Omega_1 Proj(M) Omega_2^dag) and left-equivariant
 * (Proj(U M) = U Proj(M) for U in SU(N)).
 *
 * <p><b>Speed.</b> For N = 2, 3 the scaled Newton iteration X <- (zeta X + X^{-dag} / zeta) / 2 (Higham) uses the
 * closed-form inverse (cofactors: the rows of X^{-T} det X are r1 x r2, r2 x r0, r0 x r1 for N = 3), which is
 * about 100 times faster on CPU than batched {@code linalg_inv} of small matrices; other N use {@link SUN#project}.
 */
public final class StapleProjection {
    static final double GAMMA = 0.4;
    private static final int SCALED_ITERATIONS = 10;
    private static final int PLAIN_ITERATIONS = 2;

    private StapleProjection() {}

    public static Tensor project(SUN group, Tensor m) {
        Tensor rotated = m.mul(new Scalar(new DoubleComplex(Math.cos(GAMMA), Math.sin(GAMMA))));
        int n = group.n();
        if (n != 2 && n != 3) return group.project(rotated);
        Tensor x = rotated;
        for (int k = 0; k < SCALED_ITERATIONS + PLAIN_ITERATIONS; k++) {
            Tensor[] invDagDet = inverseDaggerTimesConjDet(x, n);
            Tensor invDagger = invDagDet[0].div(invDagDet[1].unsqueeze(-1).unsqueeze(-1));
            if (k < SCALED_ITERATIONS) {
                Tensor zeta = frobenius(invDagger).div(frobenius(x)).sqrt();
                x = x.mul(zeta).add(invDagger.div(zeta)).mul(new Scalar(0.5));
            } else {
                x = x.add(invDagger).mul(new Scalar(0.5));
            }
        }
        // det by cofactors: the backward of batched linalg_det is ~100x slower on small matrices
        Tensor phi = torch.conj_physical(inverseDaggerTimesConjDet(x, n)[1]).angle().div(new Scalar((double) -n));
        return x.mul(torch.polar(torch.ones_like(phi), phi).unsqueeze(-1).unsqueeze(-1));
    }

    /** {conj(cofactor matrix of X), conj(det X)}: X^{-dag} = first / second. */
    private static Tensor[] inverseDaggerTimesConjDet(Tensor x, int n) {
        Tensor cof;
        Tensor det;
        if (n == 2) {
            Tensor a = x.select(-2, 0).select(-1, 0), b = x.select(-2, 0).select(-1, 1);
            Tensor c = x.select(-2, 1).select(-1, 0), d = x.select(-2, 1).select(-1, 1);
            // X^{-T} det = [[d, -c], [-b, a]]
            Tensor row0 = torch.cat(new TensorVector(d.unsqueeze(-1), c.neg().unsqueeze(-1)), -1);
            Tensor row1 = torch.cat(new TensorVector(b.neg().unsqueeze(-1), a.unsqueeze(-1)), -1);
            cof = torch.cat(new TensorVector(row0.unsqueeze(-2), row1.unsqueeze(-2)), -2);
            det = a.mul(d).sub(b.mul(c));
        } else {
            Tensor r0 = x.select(-2, 0), r1 = x.select(-2, 1), r2 = x.select(-2, 2);
            Tensor c0 = cross(r1, r2);
            cof = torch.cat(new TensorVector(c0.unsqueeze(-2), cross(r2, r0).unsqueeze(-2), cross(r0, r1).unsqueeze(-2)), -2);
            det = r0.mul(c0).sum(new long[] {-1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        }
        return new Tensor[] {torch.conj_physical(cof), torch.conj_physical(det)};
    }

    /** The (bilinear, unconjugated) cross product of 3-vectors along the last dim. */
    private static Tensor cross(Tensor a, Tensor b) {
        Tensor a1 = torch.roll(a, new long[] {-1}, new long[] {-1}), a2 = torch.roll(a, new long[] {-2}, new long[] {-1});
        Tensor b1 = torch.roll(b, new long[] {-1}, new long[] {-1}), b2 = torch.roll(b, new long[] {-2}, new long[] {-1});
        return a1.mul(b2).sub(a2.mul(b1));
    }

    private static Tensor frobenius(Tensor m) {
        Tensor a = m.abs();
        return a.mul(a).sum(new long[] {-2, -1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt();
    }
}
