package org.gaugeflow.multiscale;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * The heatbath-like staple-conditional density of Eq. (6) for U(1), with a learned beta-tilde:
 * q(U | S_1..S_n) = exp(Re[U w]) / I_0(|w|) per link, w = beta~ sum_i S_i. In the angle theta of U this is
 * a von Mises density with concentration kappa = |w| and location -arg w, normalized with respect to
 * d theta / (2 pi) (the Haar measure normalized to 1).
 *
 * <p>Sampling is differentiable in beta~ and in the staples (needed for reverse-KL training): the angle is
 * -arg w + z with z ~ vonMises(0, kappa) drawn by Best and Fisher's rejection algorithm, and the
 * dependence of z on kappa is carried by the implicit reparameterization gradient
 * dz/dkappa = -(dF/dkappa)(z) / q(z), F the von Mises CDF, with dF/dkappa from a Gauss-Legendre quadrature on the
 * tail of the circle away from the mode (where the integrand is monotone). The dependence on the location -arg w
 * uses the velocity 1 - q(antipode) / q(theta) instead of the rigid rotation, so that the derivative in w stays
 * bounded where the staples cancel ({@link #locate}). Values are exact; only the gradient uses quadrature.
 */
public final class U1HeatbathPrior extends Module implements StapleConditionalModel {
    private static final int QUADRATURE_NODES = 32;
    private static final int ROUNDS = 6;
    private static final double[][] GAUSS_LEGENDRE = gaussLegendre(QUADRATURE_NODES);
    private final int staples;
    private final Tensor betaTilde;

    /** @param beta initial beta-tilde */
    public U1HeatbathPrior(int staples, double beta, FieldOptions options) {
        if (staples < 1) throw new IllegalArgumentException("staples = " + staples + ": expected >= 1");
        if (!Double.isFinite(beta)) throw new IllegalArgumentException("beta-tilde = " + beta + ": expected a finite number");
        this.staples = staples;
        // keep our own handle (the registered tensor shares its TensorImpl with it)
        Tensor b = torch.full(new long[] {1}, Tensors.scalar(beta), options.real());
        register_parameter("betaTilde", b);
        this.betaTilde = Tensors.retain(b);
    }

    @Override public GaugeGroup group() { return U1.INSTANCE; }

    @Override public int staples() { return staples; }

    /** The learned beta-tilde (a one-element parameter). */
    public Tensor betaTilde() { return betaTilde; }

    /** w = beta~ sum_i S_i per site, a complex tensor [B, sites...]. */
    private Tensor w(Tensor context) {
        Tensor sum = context.sum(-3).squeeze(-1).squeeze(-1);
        return sum.mul(betaTilde.to(sum.scalar_type()));
    }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        long[] sites = StapleContext.siteShape(context, n, staples, U1.INSTANCE);
        Tensor w = w(context);
        Tensor kappa = w.abs();
        Tensor z = vonMises(kappa.detach(), rng, sites);
        z = reparameterize(z, kappa);
        Tensor theta = locate(z, w);
        Tensor u = U1.fromAngle(theta).unsqueeze(-1).unsqueeze(-1);
        return new Sample(u, logDensity(u, w));
    }

    @Override public Tensor logProb(Tensor u, Tensor context) {
        StapleContext.checkLinks(u, context, staples, U1.INSTANCE);
        return logDensity(u, w(context));
    }

    /** sum over sites of Re[U w] - log I_0(|w|). */
    private static Tensor logDensity(Tensor u, Tensor w) {
        Tensor uw = torch.real(u.squeeze(-1).squeeze(-1).mul(w));
        return uw.sub(logI0(w.abs())).flatten(1, -1).sum(1);
    }

    /** log I_0(k) = log(i0e(k)) + k, stable for large k (k >= 0). */
    public static Tensor logI0(Tensor k) { return torch.log(torch.special_i0e(k)).add(k); }

    /**
     * Von Mises angles z in (-pi, pi] with location 0 and concentration kappa (>= 0, no gradient), by Best and
     * Fisher's rejection algorithm (Appl. Statist. 28 (1979) 152), batched: redraw until every entry is accepted.
     */
    static Tensor vonMises(Tensor kappa, Rng rng, long[] shape) {
        Tensor k = kappa.clamp_min(Tensors.scalar(1e-12));
        Tensor tau = torch.sqrt(k.mul(k).mul(Tensors.scalar(4)).add(Tensors.scalar(1))).add(Tensors.scalar(1));
        Tensor rho = tau.sub(torch.sqrt(tau.mul(Tensors.scalar(2)))).div(k.mul(Tensors.scalar(2)));
        Tensor r = rho.mul(rho).add(Tensors.scalar(1)).div(rho.mul(Tensors.scalar(2)));
        // small kappa: r = 1/k + k to second order (the closed form cancels catastrophically)
        r = torch.where(k.lt(Tensors.scalar(1e-5)), k.reciprocal().add(k), r);
        // ROUNDS candidates per entry at once (acceptance >= 0.65 each), repeated for entries with none accepted
        long[] many = new long[shape.length + 1];
        many[0] = ROUNDS;
        System.arraycopy(shape, 0, many, 1, shape.length);
        Tensor out = torch.zeros(shape, rng.options().real());
        Tensor done = torch.zeros(shape, rng.options().real()).gt(Tensors.scalar(1));
        for (int iter = 0; iter < 100 && !done.all().item_bool(); iter++) {
            Tensor u1 = rng.uniform(many);
            Tensor u2 = rng.uniform(many);
            Tensor u3 = rng.uniform(many);
            Tensor zz = torch.cos(u1.mul(Tensors.scalar(Math.PI)));
            Tensor f = r.mul(zz).add(Tensors.scalar(1)).div(r.add(zz));
            Tensor c = k.mul(r.sub(f));
            Tensor accept = c.mul(c.neg().add(Tensors.scalar(2))).sub(u2).gt(Tensors.scalar(0))
                    .logical_or(torch.log(c.div(u2)).add(Tensors.scalar(1)).sub(c).ge(Tensors.scalar(0)));
            Tensor angle = torch.acos(f.clamp_min(Tensors.scalar(-1)).clamp_max(Tensors.scalar(1)))
                    .mul(torch.sign(u3.sub(Tensors.scalar(0.5))));
            // the first accepted candidate of each entry (argmax returns the first maximum)
            Tensor first = accept.to(torch.ScalarType.Byte).argmax(new org.bytedeco.pytorch.LongOptional(0), true);
            Tensor pick = angle.gather(0, first).squeeze(0);
            Tensor any = accept.any(0);
            Tensor take = any.logical_and(done.logical_not());
            out = torch.where(take, pick, out);
            done = done.logical_or(any);
        }
        if (!done.all().item_bool()) throw new IllegalStateException("von Mises rejection sampler did not finish");
        return out;
    }

    /**
     * z with the implicit reparameterization gradient in kappa: value z, dz/dkappa = -(dF/dkappa)(z) / q(z),
     * where q(t) = exp(kappa cos t) / (2 pi I_0(kappa)) and F(z) = int_{-pi}^z q. dF/dkappa is the derivative of
     * int_a^z q dt with a = -pi for z <= 0 and a = +pi for z > 0 (F differs from it by a constant), by
     * Gauss-Legendre quadrature on [a, z], where q is monotone.
     */
    static Tensor reparameterize(Tensor z, Tensor kappa) {
        if (!kappa.requires_grad()) return z;
        Tensor zd = z.detach();
        Tensor a = torch.where(zd.gt(Tensors.scalar(0)), torch.full_like(zd, Tensors.scalar(Math.PI)),
                torch.full_like(zd, Tensors.scalar(-Math.PI)));
        Tensor half = zd.sub(a).mul(Tensors.scalar(0.5));
        Tensor mid = zd.add(a).mul(Tensors.scalar(0.5));
        Tensor logNorm = logI0(kappa).add(Tensors.scalar(Math.log(2 * Math.PI)));
        Tensor nodes = Tensors.fromArray(GAUSS_LEGENDRE[0], QUADRATURE_NODES).to(zd.device(), zd.scalar_type());
        Tensor weights = Tensors.fromArray(GAUSS_LEGENDRE[1], QUADRATURE_NODES).to(zd.device(), zd.scalar_type());
        Tensor t = mid.unsqueeze(-1).add(half.unsqueeze(-1).mul(nodes));               // [..., nodes]
        Tensor integral = torch.exp(kappa.unsqueeze(-1).mul(torch.cos(t)).sub(logNorm.unsqueeze(-1))).mul(weights).sum(-1);
        integral = integral.mul(half);
        Tensor q = torch.exp(kappa.detach().mul(torch.cos(zd)).sub(logNorm.detach()));
        return zd.sub(integral.sub(integral.detach()).div(q));
    }

    /**
     * theta = z - arg w (z the angle relative to the mode), with a pathwise derivative in the location that is bounded
     * and numerically stable where |w| -> 0. The value is exactly z - arg w; only the gradient differs from
     * differentiating that expression.
     *
     * <p>Differentiating theta = z - arg w moves every sample rigidly with the location mu = -arg w: d theta / d mu = 1,
     * with d mu = -Im(dw / w). For unit staples (U(1) staples are products of links) this is analytically
     * -(dA + dB) / 2 in the staple angles A, B, but autograd evaluates Im(dw / w) with |dw / w| = O(1 / |w|) and the
     * real and imaginary parts cancel: near |S_A + S_B| = 1e-9 the derivative came out ~100 instead of 1/2 (errors
     * ~ 1e-16 / |w|^2); for abstract staples of varying modulus (Sec. 3.1) it really is O(1 / |w|).
     * Any velocity v(theta) with d q / d mu + d (q v) / d theta = 0 on the circle gives an unbiased pathwise gradient
     * (integrate by parts: no boundary); the solutions are v = 1 + C / q, and the rigid rotation is C = 0. The one used
     * here is C = -q(mu + pi): v = 1 - q(mu + pi) / q(theta) = 1 - exp(-kappa (1 + cos z)), which vanishes at the
     * antipode of the mode (where the kappa-velocity of {@link #reparameterize} vanishes too, so the joint velocity
     * field is continuous on the circle) and is at most 2 kappa: times |d mu / d w| = 1 / kappa the derivative of
     * theta in w is at most 2 (kappa = |w|), uniformly in w, and it is computed without dividing by |w|. For large
     * kappa, v -> 1 (the rigid rotation) wherever the density is not negligible.
     *
     * <p>In autograd terms: d theta = -v Im(w^* dw) / |w|^2 = -g Im(conj(w^) dw) with w^ = w / |w| and
     * g = (1 - exp(-kappa (1 + cos z))) / kappa, which tends to 1 + cos z for kappa -> 0.
     */
    static Tensor locate(Tensor z, Tensor w) {
        Tensor theta = z.sub(w.angle().detach());
        if (!w.requires_grad()) return theta;
        Tensor wd = w.detach();
        Tensor kappa = wd.abs();
        Tensor half = torch.cos(z.detach().mul(Tensors.scalar(0.5)));
        Tensor onePlusCos = half.mul(half).mul(Tensors.scalar(2));                       // 1 + cos z, accurate near z = +-pi
        Tensor positive = kappa.gt(Tensors.scalar(0));
        Tensor safeKappa = torch.where(positive, kappa, torch.ones_like(kappa));
        Tensor g = torch.where(positive, torch.expm1(kappa.mul(onePlusCos).neg()).neg().div(safeKappa), onePlusCos);
        Tensor unit = wd.div(safeKappa);                                                  // w / |w| (0 at w = 0)
        // Im(conj(w^) w): zero in value, its differential is Im(conj(w^) dw) = |w| d(arg w)
        Tensor tangential = torch.imag(w.mul(unit.conj()));
        return theta.sub(g.mul(tangential.sub(tangential.detach())));
    }

    /** Nodes (row 0) and weights (row 1) of n-point Gauss-Legendre quadrature on [-1, 1]. */
    static double[][] gaussLegendre(int n) {
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = z;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-16) break;
            }
            x[i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
        }
        return new double[][] {x, w};
    }
}
