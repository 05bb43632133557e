package org.gaugeflow.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleComplex;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The closed-form 3 x 3 Hermitian eigensolver against linalg_eigh, on degenerate inputs, and its gradients. */
class Eigh3Test {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;
    static final SUN SU3 = new SUN(3);

    /** Random Hermitian matrices (G + G^dag)/2 with entries of scale ~ 1. */
    static Tensor randomHermitian(Rng rng, long count) {
        Tensor z = rng.complexNormal(count, 3, 3);
        return z.add(Tensors.dagger(z)).mul(new Scalar(0.5));
    }

    /** W diag(lambda) W^dag for Haar W and the given spectra [count][3]. */
    static Tensor withSpectra(Rng rng, double[][] spectra) {
        int count = spectra.length;
        double[] flat = new double[count * 3];
        for (int i = 0; i < count; i++) System.arraycopy(spectra[i], 0, flat, 3 * i, 3);
        Tensor d = Tensors.fromArray(flat, count, 3).to(torch.ScalarType.ComplexDouble).diag_embed();
        Tensor w = SU3.haar(rng, count);
        return w.matmul(d).matmul(Tensors.dagger(w));
    }

    /** Per-matrix max |entry| of x [b, ...] relative to scale [b] (plus a floor). */
    static double relMax(Tensor x, Tensor scale) {
        Tensor err = x.abs().flatten(1, -1).amax(new long[] {-1}, false);
        return Tensors.maxAbs(err.div(scale.add(new Scalar(1e-300))));
    }

    /** max |lambda| per matrix [b]. */
    static Tensor spectralNorm(Tensor values) { return values.abs().amax(new long[] {-1}, false); }

    /** Projectors v_i v_i^dag per eigenvector [b, 3, 3, 3] (last index pair: the matrix of column i). */
    static Tensor projectors(Tensor v) {
        Tensor cols = v.transpose(-2, -1);                          // [b, 3 (i), 3 (components)]
        return cols.unsqueeze(-1).mul(cols.conj().unsqueeze(-2));
    }

    /** Checks reconstruction V diag(lambda) V^dag = H and V^dag V = 1 (relative to |H|), ascending order. */
    static void checkDecomposition(Tensor h, Eigh3.Result r, double tol, String what) {
        Tensor v = r.vectors();
        Tensor rec = v.matmul(r.values().to(v.scalar_type()).diag_embed()).matmul(Tensors.dagger(v));
        Tensor scale = spectralNorm(r.values()).to(torch.ScalarType.Double);
        double recErr = relMax(rec.sub(h).to(torch.ScalarType.ComplexDouble), scale);
        assertTrue(recErr < tol, what + ": V diag(lambda) V^dag != H, relative error " + recErr);
        Tensor eye = torch.eye(3, v.options());
        double uErr = Tensors.maxAbs(Tensors.dagger(v).matmul(v).sub(eye));
        assertTrue(uErr < tol, what + ": V not unitary, error " + uErr);
        Tensor lam = r.values();
        assertTrue(lam.narrow(-1, 1, 2).ge(lam.narrow(-1, 0, 2)).all().item_bool(), what + ": not ascending");
        assertTrue(torch.isfinite(lam).all().item_bool() && torch.isfinite(torch.view_as_real(v)).all().item_bool(),
                what + ": non-finite output");
    }

    @Test
    void randomMatricesMatchLinalgEigh() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(1, F64)) {
            Tensor plain = randomHermitian(rng, 2000);
            // scales from 1e-6 to 1e6 and shifted spectra
            Tensor scales = torch.pow(new Scalar(10.0), rng.uniform(2000).mul(new Scalar(12)).sub(new Scalar(6)));
            Tensor shift = rng.normal(2000).mul(new Scalar(3)).to(plain.scalar_type());
            Tensor scaled = randomHermitian(rng, 2000).mul(scales.to(plain.scalar_type()).view(2000, 1, 1))
                    .add(torch.eye(3, plain.options()).mul(shift.view(2000, 1, 1)));
            Tensor h = torch.cat(new TensorVector(plain, scaled), 0);
            Eigh3.Result r = Eigh3.eigh(h);
            T_TensorTensor_T ref = torch.linalg_eigh(h);
            Tensor scale = spectralNorm(ref.get0());
            double valErr = relMax(r.values().sub(ref.get0()), scale);
            assertTrue(valErr < 1e-12, "eigenvalues differ from linalg_eigh: " + valErr);
            // projectors (conditioned by gap / |H| for any backward-stable solver): matrices with gap > 1e-3 |H|
            Tensor lam = ref.get0();
            Tensor gap = lam.narrow(-1, 1, 2).sub(lam.narrow(-1, 0, 2)).amin(new long[] {-1}, false).div(scale);
            Tensor sel = torch.nonzero(gap.gt(new Scalar(1e-3))).squeeze(-1);
            assertTrue(sel.size(0) > 1900, "too few well-separated matrices: " + sel.size(0));
            double projErr = Tensors.maxAbs(projectors(r.vectors().index_select(0, sel))
                    .sub(projectors(ref.get1().index_select(0, sel))));
            assertTrue(projErr < 1e-10, "eigenprojectors differ from linalg_eigh: " + projErr);
            checkDecomposition(h, r, 1e-13, "random");
            // batch dimensions are kept
            Eigh3.Result r2 = Eigh3.eigh(h.narrow(0, 0, 12).view(3, 4, 3, 3));
            assertEquals(3, r2.values().dim());
            assertTrue(Tensors.maxAbs(r2.values().reshape(12, 3).sub(r.values().narrow(0, 0, 12))) < 1e-13, "batch shape");
        }
    }

    @Test
    void nearlyAndExactlyDegenerateSpectra() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(2, F64)) {
            double[][] spectra = {
                    {-2, 1, 1 + 1e-4}, {-2, 1, 1 + 1e-8}, {-2, 1, 1}, {-1 - 1e-4, -1, 2}, {-1 - 1e-8, -1, 2}, {-1, -1, 2},
                    {0.3, 0.3, 0.3}, {0.3, 0.3, 0.3 + 1e-8}, {5, 5 + 1e-12, 5 + 2e-12}, {0, 0, 1e-9}, {-1e-9, 0, 1e-9},
                    {1e6, 1e6 + 1e-4, 1e6 + 2}, {-7, 0, 7}, {0, 0, 0}};
            int count = spectra.length;
            Tensor h = withSpectra(rng, spectra);
            // exact special matrices: multiples of the identity and diagonal with two equal entries
            double[][] diag = {{0.3, 0.3, 0.3}, {0, 0, 0}, {2, 2, -1}, {2, -1, 2}, {-1, 2, 2}, {1, 2, 3}, {3, 2, 1},
                    {-4, -4, -4 + 1e-10}};
            double[] flat = new double[diag.length * 3];
            for (int i = 0; i < diag.length; i++) System.arraycopy(diag[i], 0, flat, 3 * i, 3);
            Tensor hd = Tensors.fromArray(flat, diag.length, 3).to(torch.ScalarType.ComplexDouble).diag_embed();
            Tensor all = torch.cat(new TensorVector(h, hd), 0);
            Eigh3.Result r = Eigh3.eigh(all);
            checkDecomposition(all, r, 1e-12, "degenerate");
            // eigenvalues: against the constructed spectra (sorted) within rounding of the construction
            double[] got = Tensors.toArray(r.values());
            for (int i = 0; i < count + diag.length; i++) {
                double[] want = (i < count ? spectra[i] : diag[i - count]).clone();
                java.util.Arrays.sort(want);
                double norm = Math.max(Math.abs(want[0]), Math.abs(want[2]));
                for (int k = 0; k < 3; k++) {
                    assertEquals(want[k], got[3 * i + k], 1e-14 * norm,
                            "matrix " + i + " eigenvalue " + k);
                }
            }
            // the isolated eigenvector's projector agrees with linalg_eigh, and the pair's summed projector
            T_TensorTensor_T ref = torch.linalg_eigh(h);
            Tensor pr = projectors(r.vectors().narrow(0, 0, count));
            Tensor pe = projectors(ref.get1());
            for (int i = 0; i < 6; i++) {
                int iso = spectra[i][0] == -2 ? 0 : 2;
                Tensor a = pr.select(0, i), b = pe.select(0, i);
                assertTrue(Tensors.maxAbs(a.select(0, iso).sub(b.select(0, iso))) < 1e-10, "isolated projector, matrix " + i);
                Tensor pairA = a.sum(0).sub(a.select(0, iso)), pairB = b.sum(0).sub(b.select(0, iso));
                assertTrue(Tensors.maxAbs(pairA.sub(pairB)) < 1e-10, "pair projector, matrix " + i);
            }
            // gap 1e-4: individual projectors to eps / gap
            for (int i : new int[] {0, 3}) {
                double err = Tensors.maxAbs(pr.select(0, i).sub(pe.select(0, i)));
                assertTrue(err < 1e-10, "gap 1e-4 projectors, matrix " + i + ": " + err);
            }
            // exact diagonal inputs: eigenvectors are unit vectors up to phase
            Tensor vd = r.vectors().narrow(0, count, diag.length);
            double[] absV = Tensors.toArray(vd.abs());
            for (double a : absV) assertTrue(a < 1e-15 || Math.abs(a - 1) < 1e-15, "diagonal input, |V_ij| = " + a);
        }
    }

    /** H = a P + conj(a) P^dag for P near 1 and near the center elements of SU(3), as the spectral flow forms it. */
    @Test
    void su3NearIdentityAndCenter() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, F64)) {
            java.util.List<Tensor> hs = new java.util.ArrayList<>();
            for (int z = 0; z < 3; z++) {
                double zp = 2 * Math.PI * z / 3;
                for (double eps : new double[] {1e-2, 1e-5, 1e-9, 1e-13, 0}) {
                    Tensor w = SU3.haar(rng, 40);
                    Tensor p = SU3.expI(SU3.randomAlgebra(rng, 40).mul(new Scalar(eps)));
                    p = w.matmul(p).matmul(Tensors.dagger(w)).mul(new Scalar(new DoubleComplex(Math.cos(zp), Math.sin(zp))));
                    for (int c = 0; c < 4; c++) {
                        double phi = Math.PI * c / 4;
                        Tensor a = p.mul(new Scalar(new DoubleComplex(Math.cos(phi), Math.sin(phi))));
                        hs.add(a.add(Tensors.dagger(a)));
                    }
                }
            }
            Tensor h = torch.cat(new TensorVector(hs.toArray(new Tensor[0])), 0);
            Eigh3.Result r = Eigh3.eigh(h);
            T_TensorTensor_T ref = torch.linalg_eigh(h);
            double valErr = relMax(r.values().sub(ref.get0()), spectralNorm(ref.get0()));
            assertTrue(valErr < 1e-12, "eigenvalues differ from linalg_eigh: " + valErr);
            checkDecomposition(h, r, 1e-12, "SU(3) near center");
            // generic Haar P too
            Tensor p = SU3.haar(rng, 500);
            Tensor hh = p.add(Tensors.dagger(p));
            Eigh3.Result rh = Eigh3.eigh(hh);
            T_TensorTensor_T refh = torch.linalg_eigh(hh);
            assertTrue(relMax(rh.values().sub(refh.get0()), spectralNorm(refh.get0())) < 1e-12, "Haar eigenvalues");
            checkDecomposition(hh, rh, 1e-12, "Haar");
        }
    }

    /** A phase-invariant scalar: sum_i w_i sin(lambda_i) + sum_ij c_ij |V_ij|^2 + 0.3 sum lambda_i^2. */
    static Tensor phaseInvariant(Tensor values, Tensor vectors, Tensor w, Tensor c) {
        Tensor absV2 = torch.real(vectors).square().add(torch.imag(vectors).square());
        return torch.sin(values).mul(w).sum().add(absV2.mul(c).sum()).add(values.square().sum().mul(new Scalar(0.3)));
    }

    static Tensor hermitianOf(Tensor x) {
        Tensor z = torch.view_as_complex(x);
        return z.add(Tensors.dagger(z)).mul(new Scalar(0.5));
    }

    @Test
    void gradientsMatchFiniteDifferencesAndLinalgEigh() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, F64)) {
            int count = 30;
            Tensor x0 = rng.normal(count, 3, 3, 2);
            Tensor w = rng.normal(count, 3);
            Tensor c = rng.normal(count, 3, 3);
            Tensor dir = rng.normal(count, 3, 3, 2);
            // autograd through the closed form and through linalg_eigh
            Tensor x = x0.clone().set_requires_grad(true);
            Eigh3.Result r = Eigh3.eigh(hermitianOf(x));
            phaseInvariant(r.values(), r.vectors(), w, c).backward();
            Tensor grad = x.grad().clone();
            Tensor xe = x0.clone().set_requires_grad(true);
            T_TensorTensor_T e = torch.linalg_eigh(hermitianOf(xe));
            phaseInvariant(e.get0(), e.get1(), w, c).backward();
            Tensor gradRef = xe.grad();
            double refErr = Tensors.maxAbs(grad.sub(gradRef)) / Tensors.maxAbs(gradRef);
            assertTrue(refErr < 1e-9, "gradient differs from linalg_eigh's: " + refErr);
            // central differences along a random direction, per matrix
            double step = 1e-5;
            for (int i = 0; i < count; i++) {
                Tensor xi = x0.narrow(0, i, 1), di = dir.narrow(0, i, 1);
                Tensor wi = w.narrow(0, i, 1), ci = c.narrow(0, i, 1);
                Eigh3.Result rp = Eigh3.eigh(hermitianOf(xi.add(di.mul(new Scalar(step)))));
                Eigh3.Result rm = Eigh3.eigh(hermitianOf(xi.sub(di.mul(new Scalar(step)))));
                double fd = (phaseInvariant(rp.values(), rp.vectors(), wi, ci).item_double()
                        - phaseInvariant(rm.values(), rm.vectors(), wi, ci).item_double()) / (2 * step);
                double ad = grad.narrow(0, i, 1).mul(di).sum().item_double();
                assertEquals(fd, ad, 1e-7 * (1 + Math.abs(fd)), "directional derivative, matrix " + i);
            }
        }
    }

    /**
     * At degenerate spectra: the gradient of a spectral sum sum_i g(lambda_i) = Tr g(H) is g'(H) (smooth even
     * there), the gradient of an isolated eigenvalue is its projector (also at |r| = 1), and nothing is NaN.
     */
    @Test
    void gradientsAtDegenerateSpectra() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, F64)) {
            double[][] spectra = {{-2, 1, 1}, {-1, -1, 2}, {0.4, 0.4, 0.4}, {0, 0, 0}, {-2, 1, 1 + 1e-9}, {-1, 0.5, 2}};
            Tensor h0 = withSpectra(rng, spectra);
            Tensor x = torch.view_as_real(h0).clone().set_requires_grad(true);
            Eigh3.Result r = Eigh3.eigh(torch.view_as_complex(x));
            torch.sin(r.values()).sum().backward();
            Tensor grad = torch.view_as_complex(x.grad());
            // d Tr sin(H) / dH as a complex gradient dL/dRe + i dL/dIm: cos H (Hermitian)
            T_TensorTensor_T e = torch.linalg_eigh(h0);
            Tensor cosH = e.get1().matmul(torch.cos(e.get0()).to(h0.scalar_type()).diag_embed()).matmul(Tensors.dagger(e.get1()));
            double err = Tensors.maxAbs(grad.sub(cosH));
            assertTrue(err < 1e-12, "gradient of Tr sin(H) at degenerate spectra: " + err);
            // the isolated eigenvalue's gradient is its projector
            for (int i = 0; i < 2; i++) {
                int iso = i == 0 ? 0 : 2;
                Tensor xi = torch.view_as_real(h0.narrow(0, i, 1)).clone().set_requires_grad(true);
                Eigh3.eigh(torch.view_as_complex(xi)).values().select(-1, iso).sum().backward();
                Tensor gi = torch.view_as_complex(xi.grad()).squeeze(0);
                Tensor vi = e.get1().select(0, i).select(-1, iso);
                Tensor proj = vi.unsqueeze(-1).mul(vi.conj().unsqueeze(-2));
                double pe = Tensors.maxAbs(gi.sub(proj));
                assertTrue(pe < 1e-12, "isolated eigenvalue gradient at a degenerate pair, matrix " + i + ": " + pe);
            }
            // eigenvectors' gradients are finite at exact degeneracy
            Tensor x2 = torch.view_as_real(h0).clone().set_requires_grad(true);
            Eigh3.Result r2 = Eigh3.eigh(torch.view_as_complex(x2));
            Tensor v = r2.vectors();
            torch.real(v).square().add(torch.imag(v).square()).mul(rng.normal(6, 3, 3)).sum().backward();
            assertTrue(torch.isfinite(x2.grad()).all().item_bool(), "non-finite eigenvector gradient at degeneracy");
        }
    }

    @Test
    void float32Sanity() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(6, F64)) {
            Tensor h = randomHermitian(rng, 2000);
            Tensor deg = withSpectra(rng, new double[][] {{-2, 1, 1}, {-1, -1, 2}, {0.4, 0.4, 0.4}, {0, 0, 0}, {1, 1 + 1e-5, 3}});
            Tensor all = torch.cat(new TensorVector(h, deg), 0);
            Tensor h32 = all.to(torch.ScalarType.ComplexFloat);
            Eigh3.Result r = Eigh3.eigh(h32);
            assertEquals(torch.ScalarType.Float.value, r.values().scalar_type().value);
            assertEquals(torch.ScalarType.ComplexFloat.value, r.vectors().scalar_type().value);
            T_TensorTensor_T ref = torch.linalg_eigh(h32.to(torch.ScalarType.ComplexDouble));
            double valErr = relMax(r.values().to(torch.ScalarType.Double).sub(ref.get0()), spectralNorm(ref.get0()));
            assertTrue(valErr < 2e-6, "float32 eigenvalues: " + valErr);
            checkDecomposition(h32, r, 2e-6, "float32");
            // gradients are finite in float32 too
            Tensor x = torch.view_as_real(h32).clone().set_requires_grad(true);
            Eigh3.Result rg = Eigh3.eigh(torch.view_as_complex(x));
            torch.sin(rg.values()).sum().add(torch.real(rg.vectors()).square().sum()).backward();
            assertTrue(torch.isfinite(x.grad()).all().item_bool(), "non-finite float32 gradient");
        }
    }

    /** The trigonometric eigenvalues alone: eps-accurate when separated, ~sqrt(eps) for a degenerate pair. */
    @Test
    void trigonometricEigenvaluesForGapComparisons() {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(7, F64)) {
            Tensor h = randomHermitian(rng, 2000);
            T_TensorTensor_T ref = torch.linalg_eigh(h);
            Tensor lam = ref.get0();
            Tensor scale = spectralNorm(lam);
            Tensor gap = lam.narrow(-1, 1, 2).sub(lam.narrow(-1, 0, 2)).amin(new long[] {-1}, false).div(scale);
            Tensor sel = torch.nonzero(gap.gt(new Scalar(1e-2))).squeeze(-1);
            Tensor vals = Eigh3.eigenvalues(h);
            assertEquals(2, vals.dim());
            double err = relMax(vals.index_select(0, sel).sub(lam.index_select(0, sel)), scale.index_select(0, sel));
            assertTrue(err < 1e-12, "separated eigenvalues: " + err);
            assertTrue(relMax(vals.sub(lam), scale) < 1e-7, "all eigenvalues: " + relMax(vals.sub(lam), scale));
            Tensor deg = withSpectra(rng, new double[][] {{-2, 1, 1}, {-1, -1, 2}, {0.4, 0.4, 0.4}, {0, 0, 0}, {1, 1 + 1e-9, 3}});
            Tensor dv = Eigh3.eigenvalues(deg);
            Tensor dref = torch.linalg_eigh(deg).get0();
            assertTrue(relMax(dv.sub(dref), spectralNorm(dref).clamp_min(new Scalar(1.0))) < 1e-7, "degenerate eigenvalues");
            Tensor v32 = Eigh3.eigenvalues(h.to(torch.ScalarType.ComplexFloat));
            assertTrue(relMax(v32.to(torch.ScalarType.Double).sub(lam), scale) < 1e-3, "float32 eigenvalues");
        }
    }
}
