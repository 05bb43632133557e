package org.gaugeflow.hmc;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.physics.Loops;
import org.gaugeflow.tensor.Tensors;

/**
 * Force, link update and integrators of docs/conventions.md ("HMC") on LibTorch tensors, for a batch
 * of chains on the field's device. The schedule (merged kicks) is the native engine's, so both give the
 * same trajectory to rounding.
 */
final class TorchMolecularDynamics {

    private TorchMolecularDynamics() {
    }

    /**
     * F_mu(x) = dP/dt with W = U_mu(x) A_mu(x): SU(N) -(beta/(2N)) [B - Tr B / N], B = (W - W^dag)/(2i);
     * U(1) -beta Im W. GaugeGroup.algebraGradientOfReTrace gives (1/2)[B - Tr B/N] (SU(N)) or Im W (U(1)).
     */
    static Tensor force(GaugeField f, double beta) {
        GaugeGroup g = f.group();
        int d = f.lattice().dims();
        Tensor[] dirs = new Tensor[d];
        Scalar c = new Scalar(-beta / g.n());
        for (int mu = 0; mu < d; mu++) {
            Tensor w = Tensors.mul(f.link(mu), Loops.stapleSum(f, mu));
            dirs[mu] = g.algebraGradientOfReTrace(w).mul(c);
        }
        return torch.stack(new TensorVector(dirs), 1);
    }

    /** p += c F(U), in place. */
    static void kick(GaugeField f, Tensor p, double beta, double c) {
        try (PointerScope scope = new PointerScope()) {
            p.add_(force(f, beta), new Scalar(c));
        }
    }

    /** U <- reunitarize(exp(i eps P) U), in place. */
    static void updateLinks(GaugeField f, Tensor p, double eps) {
        try (PointerScope scope = new PointerScope()) {
            GaugeGroup g = f.group();
            Tensor e = g.n() == 1 ? g.expI(p.mul(new Scalar(eps))) : expAntiHermitian(Tensors.timesI(p).mul(new Scalar(eps)));
            f.links().copy_(Reunitarization.project(g, Tensors.mul(e, f.links())));
        }
    }

    private static final double[] INVERSE_FACTORIALS = inverseFactorials(12);

    private static double[] inverseFactorials(int n) {
        double[] c = new double[n + 1];
        c[0] = 1.0;
        for (int k = 1; k <= n; k++) {
            c[k] = c[k - 1] / k;
        }
        return c;
    }

    /**
     * exp(X) for a batch of anti-Hermitian X, the native engine's method (gaugeflow_engine.h, "MD
     * UPDATE"): scaling by 2^-s so that the largest |X|_F is <= 1/4, the degree-12 Taylor polynomial by
     * Paterson-Stockmeyer (5 batched products; truncation below 2^-56), s squarings. Five times faster
     * than linalg_matrix_exp on batches of 3x3 matrices. One scalar (the largest norm) goes to the host.
     */
    static Tensor expAntiHermitian(Tensor x) {
        Tensor a = x.abs();
        double maxNorm = a.mul(a).sum(new long[] {-2, -1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                .max().sqrt().item_double();
        int s = 0;
        while (maxNorm * Math.pow(0.5, s) > 0.25 && s < 1000) {
            s++;
        }
        Tensor b1 = s == 0 ? x : x.mul(new Scalar(Math.pow(0.5, s)));
        Tensor b2 = b1.matmul(b1);
        Tensor b3 = b2.matmul(b1);
        Tensor b4 = b2.matmul(b2);
        long n = x.size(-1);
        Tensor eye = torch.eye(n, new org.bytedeco.pytorch.TensorOptions().dtype(
                new org.bytedeco.pytorch.ScalarTypeOptional(x.scalar_type())).device(
                new org.bytedeco.pytorch.DeviceOptional(x.device())));
        double[] c = INVERSE_FACTORIALS;
        Tensor r = b4.mul(new Scalar(c[12]));
        for (int j = 2; j >= 0; j--) {
            // r <- block_j + (j < 2 ? B^4 r : r), block_j = c_{4j} 1 + c_{4j+1} B + c_{4j+2} B^2 + c_{4j+3} B^3
            Tensor acc = j == 2 ? r : b4.matmul(r);
            acc = acc.add(b1.mul(new Scalar(c[4 * j + 1]))).add(b2.mul(new Scalar(c[4 * j + 2])))
                    .add(b3.mul(new Scalar(c[4 * j + 3]))).add(eye.mul(new Scalar(c[4 * j])));
            r = acc;
        }
        for (int i = 0; i < s; i++) {
            r = r.matmul(r);
        }
        return r;
    }

    /** Leapfrog or Omelyan 2MN over tau in place, consecutive kicks merged (gaugeflow_engine.h). */
    static void integrate(GaugeField f, Tensor p, HmcParameters params) {
        double eps = params.stepSize();
        double beta = params.beta();
        int steps = params.steps();
        if (params.integrator() == Integrator.LEAPFROG) {
            kick(f, p, beta, 0.5 * eps);
            for (int i = 0; i < steps; i++) {
                updateLinks(f, p, eps);
                kick(f, p, beta, (i + 1 < steps ? 1.0 : 0.5) * eps);
            }
        } else {
            double lambda = Integrator.OMELYAN_LAMBDA;
            kick(f, p, beta, lambda * eps);
            for (int i = 0; i < steps; i++) {
                updateLinks(f, p, 0.5 * eps);
                kick(f, p, beta, (1.0 - 2.0 * lambda) * eps);
                updateLinks(f, p, 0.5 * eps);
                kick(f, p, beta, (i + 1 < steps ? 2.0 : 1.0) * lambda * eps);
            }
        }
    }
}
