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
public final class TorchMolecularDynamics {

    private TorchMolecularDynamics() {
    }

    /**
     * F_mu(x) = dP/dt with W = U_mu(x) A_mu(x): SU(N) -(beta/(2N)) [B - Tr B / N], B = (W - W^dag)/(2i);
     * U(1) -beta Im W. GaugeGroup.algebraGradientOfReTrace gives (1/2)[B - Tr B/N] (SU(N)) or Im W (U(1)).
     */
    public static Tensor force(GaugeField f, double beta) {
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
            Tensor e = g.expI(p.mul(new Scalar(eps)));
            f.links().copy_(Reunitarization.project(g, Tensors.mul(e, f.links())));
        }
    }

    /** Leapfrog or Omelyan 2MN over tau in place, consecutive kicks merged (gaugeflow_engine.h). */
    static void integrate(GaugeField f, Tensor p, HmcParameters params) {
        double eps = params.stepSize();
        double beta = params.beta();
        int steps = params.steps();
        if (params.integrator() == Integrator.FORCE_GRADIENT) {
            throw new IllegalArgumentException("integrator force-gradient is only available with --engine grid (Grid's ForceGradient)");
        }
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
