package org.gaugeflow.multiscale;

import org.bytedeco.pytorch.LinearImpl;
import org.gaugeflow.flow.WeightInit;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.flow.spline.CircularSpline;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * One coupling layer of the U(1) staple-conditional flow (Sec. 3.1): the effective loop
 * P = Proj_U(1)(U sum_i alpha_i S_i) (Eqs. (12), (15)) with learned alpha_i has its angle transformed by a
 * circular rational-quadratic spline whose parameters come from gauge-invariant features of the staples
 * (|S_i| and the relative angles arg S_i S_j^*, through a small MLP), and the change is pushed back to the
 * link as U' = P' P^dag U (Eq. (14)). The spline parameters are scaled by the loop's {@link #strength}
 * |sum_i alpha_i S_i| / sum_i |alpha_i S_i|, so the coupling fades to the identity where the weighted staples
 * cancel and the phase of P is undefined (issue 17: bounded pathwise gradients).
 *
 * <p>The spline reads the loop angle turned by pi, arg P + pi: its seam (the fixed point 0 = 2 pi, where the knot
 * derivatives d_0 = d_K are tied) then sits at the antipode of the heatbath prior's mode arg P = 0, where the prior
 * has almost no mass, and the bulk of the distribution lies inside the spline's bins. With the seam at the mode
 * (the first form of this class) the reverse-KL gradient of a beta = 6 model spiked above 100 (up to ~850) in about
 * one step in seven and training ran away after ~1,000 steps; with the seam at the antipode the spikes almost vanish
 * (docs/results.md, "The cause of the runaway at beta >= 5"). The turn is the buffer {@code seam} (pi), saved with
 * the weights, so a checkpoint of the first form does not load silently into this one.
 *
 * <p>In U(1), arg P = arg U + arg(sum_i alpha_i S_i) and the second term does not depend on U, so
 * arg U' = arg U + (arg P' - arg P) and dU'/dU = dP'/dP: the log-Jacobian is the spline's log-derivative,
 * summed over sites. Values are links [B, sites..., 1, 1]; the context is the stacked staples
 * [B, sites..., n, 1, 1]. The last MLP layer starts at zero, so an untrained layer is the identity.
 */
public final class U1LoopCoupling extends Module implements Transform {
    /** The turn of the loop angle before the spline: pi puts the spline's seam at the antipode of the prior's mode. */
    public static final double SEAM_TURN = Math.PI;

    private final int staples;
    private final Tensor alpha;
    private final Tensor seam;
    private final LinearImpl[] net;
    private final CircularSpline spline;

    /** @param init the random stream of the initial MLP weights (uniform in +-1/sqrt(fan-in), as LibTorch's default) */
    public U1LoopCoupling(int staples, int bins, int[] hidden, FieldOptions options, Rng init) {
        if (staples < 1) throw new IllegalArgumentException("staples = " + staples + ": expected >= 1");
        this.staples = staples;
        this.spline = new CircularSpline(bins);
        Tensor a = torch.ones(new long[] {staples}, options.real());   // own handle, shares the registered TensorImpl
        register_parameter("alpha", a);
        this.alpha = Tensors.retain(a);
        // our own handle (register_buffer's reference moves when the module's dictionaries grow)
        this.seam = Tensors.retain(torch.full(new long[] {}, new org.bytedeco.pytorch.Scalar(SEAM_TURN), options.real()));
        register_buffer("seam", seam);
        int in = features(staples);
        net = new LinearImpl[hidden.length + 1];
        for (int i = 0; i <= hidden.length; i++) {
            long out = i < hidden.length ? hidden[i] : spline.parameterCount();
            net[i] = register_module("linear" + i, new LinearImpl(in, out));
            in = (int) out;
        }
        to(options.torchDevice(), options.precision().realType(), false);
        // WeightInit's convention; the last layer starts at zero (identity spline)
        for (int i = 0; i <= hidden.length; i++) WeightInit.linear(net[i], init, i < hidden.length ? 1.0 : 0.0);
    }

    /** Number of gauge-invariant staple features: |S_i| for each staple, cos and sin of arg S_i S_j^* for i < j. */
    static int features(int n) { return n + n * (n - 1); }

    public int staples() { return staples; }

    /** The learned coefficients alpha_i of Eq. (12). */
    public Tensor alpha() { return alpha; }

    /** Gauge-invariant features of the staples, [B, sites..., features]. */
    private Tensor features(Tensor context) {
        Tensor s = context.squeeze(-1).squeeze(-1);                   // [B, sites..., n] complex
        TensorVector parts = new TensorVector();
        parts.push_back(s.abs());
        for (int i = 0; i < staples; i++) {
            for (int j = i + 1; j < staples; j++) {
                Tensor rel = s.select(-1, i).mul(s.select(-1, j).conj()).angle();
                parts.push_back(torch.cos(rel).unsqueeze(-1));
                parts.push_back(torch.sin(rel).unsqueeze(-1));
            }
        }
        return torch.cat(parts, -1);
    }

    private Tensor splineParameters(Tensor context) {
        Tensor h = features(context);
        for (int i = 0; i < net.length; i++) {
            h = net[i].forward(h);
            if (i < net.length - 1) h = torch.tanh(h);
        }
        return h;
    }

    /** sum_i alpha_i S_i, [B, sites...] complex. */
    private Tensor loopSum(Tensor context) {
        Tensor s = context.squeeze(-1).squeeze(-1);
        return s.mul(alpha.to(s.scalar_type())).sum(-1);
    }

    /** arg(sum_i alpha_i S_i), [B, sites...]: arg P = arg U + this (0 where the sum is exactly 0). */
    private static Tensor loopShift(Tensor sum) {
        Tensor nonzero = sum.abs().gt(Tensors.scalar(0));
        // the angle of a placeholder where the sum is 0, so that no 0/0 reaches the backward pass
        Tensor safe = torch.where(nonzero, sum, torch.ones_like(sum));
        return torch.where(nonzero, safe.angle(), Tensors.scalar(0.0));
    }

    /**
     * The strength rho = |sum_i alpha_i S_i| / sum_i |alpha_i S_i| in [0, 1] of the effective loop, [B, sites...]:
     * 1 where the weighted staples are aligned, 0 where they cancel.
     *
     * <p>The loop's phase arg(sum_i alpha_i S_i) is undefined where the sum vanishes (Eq. (15) projects 0), turns by
     * pi across that set and has derivative 1 / |sum_i alpha_i S_i| in the staples and in alpha; with 2 unit staples
     * and alpha_1 = alpha_2 (the initialization, and what the S_A <-> S_B reflection symmetry favours) the sum
     * vanishes on a codimension-1 set of staples that the samples cross. A spline h acting on arg P then makes the
     * pathwise derivative of U' = P' P^dag U in the staples (h' - 1) / |sum_i alpha_i S_i|: unbounded, with an
     * infinite second moment, which spiked the reverse-KL gradient by 10-100x and derailed training (issue 17).
     * The spline parameters are therefore multiplied by rho: all-zero parameters are the identity map and h' - 1 is
     * O(rho), so the coupling fades to the identity exactly where its loop's phase is undefined, and the derivative of
     * U' in the staples and alpha is bounded (|h' - 1| / |sum| = O(1) / sum_i |alpha_i S_i|). The map stays a
     * diffeomorphism of the circle for every rho, with the same exact log-derivative.
     */
    static Tensor strength(Tensor sum, Tensor context, Tensor alpha) {
        Tensor s = context.squeeze(-1).squeeze(-1);
        Tensor total = s.abs().mul(alpha.abs().to(s.abs().scalar_type())).sum(-1);
        return sum.abs().div(total.clamp_min(Tensors.scalar(1e-30)));
    }

    @Override public Transformed forward(Tensor u, Tensor context) { return apply(u, context, false); }

    @Override public Transformed inverse(Tensor u, Tensor context) { return apply(u, context, true); }

    private Transformed apply(Tensor u, Tensor context, boolean inverse) {
        StapleContext.checkLinks(u, context, staples, U1.INSTANCE);
        Tensor theta = U1.angle(u);
        Tensor sum = loopSum(context);
        // the spline's argument: arg P (Eqs. (12), (15)) turned by the seam offset, in [0, 2 pi)
        Tensor thetaP = theta.add(loopShift(sum)).add(seam.to(theta.scalar_type())).remainder(Tensors.scalar(CircularSpline.TWO_PI));
        Tensor params = splineParameters(context).mul(strength(sum, context, alpha).unsqueeze(-1));
        CircularSpline.Result r = inverse ? spline.inverse(thetaP, params) : spline.forward(thetaP, params);
        Tensor thetaNew = theta.add(r.value().sub(thetaP));                // Eq. (14): U' = P' P^dag U
        Tensor uNew = U1.fromAngle(thetaNew).unsqueeze(-1).unsqueeze(-1);
        return new Transformed(uNew, r.logDerivative().flatten(1, -1).sum(1));
    }
}
