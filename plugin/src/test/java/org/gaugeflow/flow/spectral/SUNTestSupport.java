package org.gaugeflow.flow.spectral;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Tensors;

/** Generators, exponential coordinates and Jacobians for SU(N) tests. */
public final class SUNTestSupport {
    private SUNTestSupport() {}

    /** The N^2 - 1 generators T_a (Hermitian, traceless, Tr T_a T_b = delta_ab / 2), stacked [D, N, N] complex128. */
    public static Tensor generators(int n) {
        int dim = n * n - 1;
        double[] re = new double[dim * n * n];
        double[] im = new double[dim * n * n];
        int a = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                re[a * n * n + i * n + j] = 0.5;
                re[a * n * n + j * n + i] = 0.5;
                a++;
                im[a * n * n + i * n + j] = -0.5;
                im[a * n * n + j * n + i] = 0.5;
                a++;
            }
        }
        for (int l = 1; l < n; l++) {
            double c = 1.0 / Math.sqrt(2.0 * l * (l + 1));
            for (int k = 0; k < l; k++) re[a * n * n + k * n + k] = c;
            re[a * n * n + l * n + l] = -l * c;
            a++;
        }
        return Tensors.complex(Tensors.fromArray(re, dim, n, n), Tensors.fromArray(im, dim, n, n));
    }

    /** exp(i sum_a x_a T_a) for real x [..., D]. */
    public static Tensor expCoordinates(SUN g, Tensor x, Tensor gens) {
        Tensor xc = x.to(gens.scalar_type());
        Tensor h = xc.unsqueeze(-1).unsqueeze(-1).mul(gens).sum(new long[] {-3}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        return g.expI(h);
    }

    /** Algebra coordinates y_a = 2 Re Tr(T_a (A - A^dag)/(2i)) of A near 1: the first-order log. */
    public static Tensor coordinates(Tensor a, Tensor gens) {
        Tensor anti = Tensors.timesI(a.sub(Tensors.dagger(a))).mul(Tensors.scalar(-0.5)); // (A - A^dag)/(2i)
        Tensor prod = gens.matmul(anti.unsqueeze(-3));
        return torch.real(Tensors.trace(prod)).mul(Tensors.scalar(2));
    }

    /**
     * Numerical log|det| of x -> y, f(U e^{iX}) = f(U) e^{iY} at x = 0 for one matrix U [N, N], by central
     * differences of step eps using the exact matrix log of f(U)^dag f(U e^{iX}) (via eigen-decomposition).
     */
    public static double numericalLogDet(java.util.function.UnaryOperator<Tensor> f, SUN g, Tensor u, double eps) {
        int n = g.n();
        int dim = n * n - 1;
        Tensor gens = generators(n).to(u.scalar_type());
        Tensor fu = f.apply(u.unsqueeze(0)).squeeze(0);
        double[] jac = new double[dim * dim];
        for (int b = 0; b < dim; b++) {
            double[] e = new double[dim];
            e[b] = eps;
            Tensor xp = Tensors.fromArray(e, 1, dim);
            Tensor up = u.matmul(expCoordinates(g, xp, gens));
            Tensor um = u.matmul(expCoordinates(g, xp.neg(), gens));
            double[] yp = Tensors.toArray(logCoordinates(Tensors.dagger(fu).matmul(f.apply(up).squeeze(0)), gens));
            double[] ym = Tensors.toArray(logCoordinates(Tensors.dagger(fu).matmul(f.apply(um).squeeze(0)), gens));
            for (int a = 0; a < dim; a++) jac[a * dim + b] = (yp[a] - ym[a]) / (2 * eps);
        }
        Tensor j = Tensors.fromArray(jac, dim, dim);
        return torch.linalg_slogdet(j).get1().item_double();
    }

    /** Exact algebra coordinates of A = e^{iY} near 1: Y = -i log A through the eigen-decomposition. */
    static Tensor logCoordinates(Tensor a, Tensor gens) {
        org.bytedeco.pytorch.T_TensorTensor_T e = torch.linalg_eig(a);
        Tensor lam = e.get0();
        Tensor v = e.get1();
        Tensor logLam = torch.angle(lam).to(a.scalar_type());
        Tensor y = v.matmul(logLam.diag_embed()).matmul(torch.linalg_inv(v));
        Tensor prod = gens.matmul(y.unsqueeze(-3));
        return torch.real(Tensors.trace(prod)).mul(Tensors.scalar(2));
    }

    /** Autograd log|det| of the same map (for one matrix U [N, N]). */
    public static double autogradLogDet(java.util.function.UnaryOperator<Tensor> f, SUN g, Tensor u) {
        int n = g.n();
        int dim = n * n - 1;
        Tensor gens = generators(n).to(u.scalar_type());
        Tensor fu;
        try (org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
            fu = f.apply(u.unsqueeze(0)).squeeze(0).detach();
        }
        double[] jac = new double[dim * dim];
        for (int a = 0; a < dim; a++) {
            Tensor x = torch.zeros(new long[] {1, dim}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double));
            x.set_requires_grad(true);
            Tensor y = coordinates(Tensors.dagger(fu).matmul(f.apply(u.matmul(expCoordinates(g, x, gens))).squeeze(0)), gens);
            y.select(-1, a).sum().backward();
            double[] row = Tensors.toArray(x.grad());
            System.arraycopy(row, 0, jac, a * dim, dim);
        }
        return torch.linalg_slogdet(Tensors.fromArray(jac, dim, dim)).get1().item_double();
    }

    /** A matrix W diag(e^{i theta}) W^dag with the given phases (sum 0) and a Haar W. */
    public static Tensor withPhases(Tensor w, double... theta) {
        int n = theta.length;
        Tensor t = Tensors.fromArray(theta, n);
        Tensor d = torch.polar(torch.ones_like(t), t).diag_embed().to(w.scalar_type());
        return w.matmul(d).matmul(Tensors.dagger(w));
    }

    static Tensor stack(Tensor... ts) { return torch.stack(new TensorVector(ts), 0); }

    static FieldOptions f64() { return FieldOptions.CPU_DOUBLE; }
}
