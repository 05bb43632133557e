package org.gaugeflow.flow.prior;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.tensor.Rng;

/**
 * The von Mises density on an angle theta with location mu and concentration kappa >= 0,
 * q(theta) = exp(kappa cos(theta - mu)) / I_0(kappa) with respect to the normalized Haar measure
 * d theta / (2 pi). For U(1) this is the heatbath-like prior of the paper's Eq. (6): with the staple sum
 * S = r e^{i phi}, exp(beta~ Re[U S]) = exp(beta~ r cos(theta + phi)), i.e. mu = -phi, kappa = beta~ r.
 *
 * <p>log I_0 uses the exponentially scaled Bessel function, log I_0(k) = k + log i0e(k), so it is exact
 * and finite from kappa = 0 to kappa >> 1e3. Sampling is Best and Fisher's (1979) rejection algorithm,
 * evaluated in float64 with cancellation-free forms of its intermediate quantities; for kappa < 1e-10
 * (where the density is uniform to 1e-10) samples are uniform.
 *
 * <p>As a {@link Density}, the context is a tensor [B, ..., 2] holding (mu, kappa) on its last dim; the
 * samples are angles [B, ...] in [-pi, pi) and log q is summed over all dims but the batch dim.
 * Samples are differentiable in mu (theta = mu + xi) but not in kappa.
 */
public final class VonMises implements Density {
    private static final double KAPPA_UNIFORM = 1e-10;
    private static final int MAX_ROUNDS = 10_000;

    /** log I_0(kappa), stable for all kappa >= 0 (differentiable). */
    public static Tensor logI0(Tensor kappa) {
        return torch.special_i0e(kappa).log().add(kappa);
    }

    /** Elementwise log q(theta | mu, kappa) w.r.t. d theta / (2 pi) (broadcasting; differentiable in all three). */
    public static Tensor logDensity(Tensor theta, Tensor mu, Tensor kappa) {
        // kappa (cos(theta - mu) - 1) - log i0e(kappa): no large terms cancel at large kappa
        return kappa.mul(torch.cos(theta.sub(mu)).sub(new Scalar(1.0))).sub(torch.special_i0e(kappa).log());
    }

    /**
     * Samples theta ~ vonMises(mu, kappa) elementwise (shape of mu and kappa broadcast), in [-pi, pi),
     * in the dtype of mu.
     */
    public static Tensor sample(Tensor mu, Tensor kappa, Rng rng) {
        TensorVector bt = torch.broadcast_tensors(new TensorVector(mu, kappa));
        Tensor muB = bt.get(0);
        Tensor k = bt.get(1).detach().to(torch.ScalarType.Double);
        long[] shape = new long[(int) k.dim()];
        for (int i = 0; i < shape.length; i++) shape[i] = k.size(i);
        if (torch.any(k.lt(new Scalar(0.0))).item_bool() || torch.any(torch.isnan(k)).item_bool()) {
            throw new IllegalArgumentException("von Mises concentration: expected kappa >= 0, saw a negative or NaN value");
        }
        Tensor uniformMask = k.lt(new Scalar(KAPPA_UNIFORM));
        Tensor ks = k.masked_fill(uniformMask, new Scalar(1.0));
        // Best-Fisher constants: tau = 1 + sqrt(1 + 4k^2), rho = (tau - sqrt(2 tau)) / (2k), s = (1 + rho^2) / (2 rho),
        // with rho written without the cancellation of tau - sqrt(2 tau) at small k
        Tensor sq = ks.mul(ks).mul(new Scalar(4.0)).add(new Scalar(1.0)).sqrt();
        Tensor tau = sq.add(new Scalar(1.0));
        Tensor rho = ks.mul(tau).mul(new Scalar(2.0))
                .div(sq.add(new Scalar(1.0)).mul(tau.add(tau.mul(new Scalar(2.0)).sqrt())));
        Tensor oneMinusRho = rho.neg().add(new Scalar(1.0));
        Tensor sMinus1 = oneMinusRho.mul(oneMinusRho).div(rho.mul(new Scalar(2.0)));          // s - 1
        Tensor sPlus1 = rho.add(new Scalar(1.0)).pow(new Scalar(2.0)).div(rho.mul(new Scalar(2.0))); // s + 1
        Tensor xi = torch.zeros_like(k);
        Tensor done = torch.zeros_like(k).to(torch.ScalarType.Bool);
        Rng64 r = new Rng64(rng);
        for (int round = 0; ; round++) {
            if (round == MAX_ROUNDS) throw new IllegalStateException("von Mises sampler did not accept in " + MAX_ROUNDS + " rounds");
            Tensor u1 = r.uniform(shape);
            Tensor u2 = r.uniform(shape);
            Tensor u3 = r.uniform(shape);
            Tensor half = u1.mul(new Scalar(Math.PI / 2));
            Tensor c = torch.cos(half);
            Tensor sn = torch.sin(half);
            Tensor onePlusZ = c.mul(c).mul(new Scalar(2.0));        // 1 + cos(pi u1)
            Tensor oneMinusZ = sn.mul(sn).mul(new Scalar(2.0));     // 1 - cos(pi u1)
            Tensor sPlusZ = sMinus1.add(onePlusZ);
            Tensor y = ks.mul(sMinus1).mul(sPlus1).div(sPlusZ);     // kappa (s - W)
            Tensor oneMinusW = sMinus1.mul(oneMinusZ).div(sPlusZ);  // 1 - W, W = cos(theta)
            Tensor accept = torch.logical_or(
                    y.mul(y.neg().add(new Scalar(2.0))).sub(u2).gt(new Scalar(0.0)),
                    y.div(u2).log().add(new Scalar(1.0)).sub(y).ge(new Scalar(0.0)));
            Tensor angle = torch.asin(oneMinusW.mul(new Scalar(0.5)).clamp_min(new Scalar(0.0)).sqrt()
                    .clamp_max(new Scalar(1.0))).mul(new Scalar(2.0));
            angle = angle.where(u3.ge(new Scalar(0.5)), angle.neg());
            Tensor take = torch.logical_and(accept, torch.logical_not(done));
            xi = angle.where(take, xi);
            done = torch.logical_or(done, accept);
            if (torch.all(done).item_bool()) break;
        }
        Tensor uniform = r.uniform(shape).mul(new Scalar(2 * Math.PI)).sub(new Scalar(Math.PI));
        xi = uniform.where(uniformMask, xi).to(muB.scalar_type());
        return wrap(muB.add(xi));
    }

    /** Angles reduced to [-pi, pi). */
    public static Tensor wrap(Tensor theta) {
        return torch.remainder(theta.add(new Scalar(Math.PI)), new Scalar(2 * Math.PI)).sub(new Scalar(Math.PI));
    }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        checkContext(context);
        if (context.size(0) != n) {
            throw new IllegalArgumentException("sample count " + n + ": expected the context's batch size " + context.size(0));
        }
        Tensor mu = context.select(-1, 0);
        Tensor kappa = context.select(-1, 1);
        Tensor theta = sample(mu, kappa, rng);
        return new Sample(theta, sumPerSample(logDensity(theta, mu, kappa)));
    }

    @Override public Tensor logProb(Tensor theta, Tensor context) {
        checkContext(context);
        return sumPerSample(logDensity(theta, context.select(-1, 0), context.select(-1, 1)));
    }

    private static Tensor sumPerSample(Tensor t) { return t.dim() == 1 ? t : t.flatten(1, -1).sum(new long[] {1}); }

    private static void checkContext(Tensor context) {
        if (context == null || context.dim() < 2 || context.size(-1) != 2) {
            throw new IllegalArgumentException("von Mises context: expected a tensor [B, ..., 2] of (location, concentration)");
        }
    }

    /** Uniform float64 numbers from the caller's stream (on its device). */
    private record Rng64(Rng rng) {
        Tensor uniform(long[] shape) { return rng.uniform(shape).to(torch.ScalarType.Double); }
    }
}
