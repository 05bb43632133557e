package org.gaugeflow.flow.spectral;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A monotone rational-quadratic spline h of the unit interval onto itself, h(0) = 0, h(1) = 1
 * (Durkan et al. 2019), evaluated "two-sided": every point is carried as the pair (s, t = 1 - s), each
 * accurate to relative precision, and the spline returns both h and 1 - h with the same care. The
 * spectral flow needs that to stay exact near the faces of the Weyl alcove (degenerate eigenvalues):
 * the ratios h(s)/s and (1 - h(s))/(1 - s) stay finite and accurate as s -> 0 or s -> 1.
 *
 * <p>Parameters: a tensor [..., 3K + 1] of unconstrained numbers: K bin widths, K bin heights (softmax,
 * with a floor), K + 1 knot derivatives (softplus, with a floor, shifted so that 0 gives slope 1). All
 * zeros give the identity map.
 */
final class IntervalSpline {
    static final double MIN_WIDTH = 1e-3;
    static final double MIN_HEIGHT = 1e-3;
    static final double MIN_DERIVATIVE = 1e-3;

    private final int bins;
    private final Tensor xk;      // left knots x_k            [..., K]
    private final Tensor yk;      // left knots y_k            [..., K]
    private final Tensor yUpper;  // 1 - y_{k+1}, suffix sums  [..., K]
    private final Tensor w;       // widths                    [..., K]
    private final Tensor hgt;     // heights                   [..., K]
    private final Tensor dLo;     // derivative at x_k         [..., K]
    private final Tensor dHi;     // derivative at x_{k+1}     [..., K]

    /** Number of unconstrained parameters of a spline with {@code bins} bins. */
    static int parameterCount(int bins) { return 3 * bins + 1; }

    IntervalSpline(Tensor params, int bins) {
        this.bins = bins;
        Tensor rawW = params.narrow(-1, 0, bins);
        Tensor rawH = params.narrow(-1, bins, bins);
        Tensor rawD = params.narrow(-1, 2 * bins, bins + 1);
        w = torch.softmax(rawW, -1).mul(new Scalar(1 - bins * MIN_WIDTH)).add(new Scalar(MIN_WIDTH));
        hgt = torch.softmax(rawH, -1).mul(new Scalar(1 - bins * MIN_HEIGHT)).add(new Scalar(MIN_HEIGHT));
        double shift = Math.log(Math.expm1(1 - MIN_DERIVATIVE));
        Tensor d = torch.softplus(rawD.add(new Scalar(shift))).add(new Scalar(MIN_DERIVATIVE));
        dLo = d.narrow(-1, 0, bins);
        dHi = d.narrow(-1, 1, bins);
        xk = exclusiveCumsum(w);
        yk = exclusiveCumsum(hgt);
        // 1 - y_{k+1} = sum of the heights after bin k (exactly 0 for the last bin)
        yUpper = exclusiveCumsum(hgt.flip(-1)).flip(-1);
    }

    /** [0, a_0, a_0 + a_1, ...]: the left knots. */
    private static Tensor exclusiveCumsum(Tensor a) {
        Tensor c = a.cumsum(-1);
        Tensor zero = torch.zeros_like(a.narrow(-1, 0, 1));
        return torch.cat(new TensorVector(zero, c.narrow(-1, 0, a.size(-1) - 1)), -1);
    }

    /** The result of evaluating h: h, 1 - h, log h', h/s and (1 - h)/(1 - s). */
    record Values(Tensor h, Tensor oneMinusH, Tensor logDerivative, Tensor ratioLow, Tensor ratioHigh) {}

    /** Bin index of each point: the number of interior knots at or below it. */
    private Tensor binOf(Tensor value, Tensor knots) {
        Tensor interior = knots.narrow(-1, 1, bins - 1);
        return value.unsqueeze(-1).ge(interior).sum(new long[] {-1}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional(torch.ScalarType.Long)).unsqueeze(-1);
    }

    private static Tensor pick(Tensor perBin, Tensor bin) { return perBin.gather(-1, bin).squeeze(-1); }

    /** h(s) for s in [0, 1], given s and t = 1 - s. */
    Values forward(Tensor s, Tensor t) {
        Tensor bin = binOf(s, xk);
        Tensor first = bin.squeeze(-1).eq(new Scalar(0));
        Tensor last = bin.squeeze(-1).eq(new Scalar(bins - 1));
        Tensor x0 = pick(xk, bin), y0 = pick(yk, bin), yUp = pick(yUpper, bin);
        Tensor wb = pick(w, bin), hb = pick(hgt, bin), d0 = pick(dLo, bin), d1 = pick(dHi, bin);
        Tensor xi = s.sub(x0).div(wb);
        Tensor eta = torch.where(last, t.div(wb), torch.ones_like(xi).sub(xi));
        xi = torch.where(last, torch.ones_like(eta).sub(eta), xi);
        Tensor sb = hb.div(wb);
        Tensor xe = xi.mul(eta);
        Tensor den = sb.add(d0.add(d1).sub(sb.mul(new Scalar(2))).mul(xe));
        Tensor low = hb.mul(sb.mul(xi).mul(xi).add(d0.mul(xe))).div(den);    // h - y_k
        Tensor high = hb.mul(sb.mul(eta).mul(eta).add(d1.mul(xe))).div(den); // y_{k+1} - h
        Tensor h = y0.add(low);
        Tensor oneMinusH = yUp.add(high);
        Tensor num = d1.mul(xi).mul(xi).add(sb.mul(xe).mul(new Scalar(2))).add(d0.mul(eta).mul(eta));
        Tensor logDer = sb.log().mul(new Scalar(2)).add(num.log()).sub(den.log().mul(new Scalar(2)));
        // h/s: in the first bin h = low and s = xi w, so h/s = sb (sb xi + d0 eta) / den exactly
        Tensor lowRatio = sb.mul(sb.mul(xi).add(d0.mul(eta))).div(den);
        Tensor sSafe = torch.where(first, torch.ones_like(s), s);
        Tensor ratioLow = torch.where(first, lowRatio, h.div(sSafe));
        Tensor highRatio = sb.mul(sb.mul(eta).add(d1.mul(xi))).div(den);
        Tensor tSafe = torch.where(last, torch.ones_like(t), t);
        Tensor ratioHigh = torch.where(last, highRatio, oneMinusH.div(tSafe));
        return new Values(h, oneMinusH, logDer, ratioLow, ratioHigh);
    }

    /** The pair (s, 1 - s) with h(s) = y, given y and 1 - y. */
    Tensor[] inverse(Tensor y, Tensor oneMinusY) {
        Tensor bin = binOf(y, yk);
        Tensor last = bin.squeeze(-1).eq(new Scalar(bins - 1));
        Tensor x0 = pick(xk, bin), y0 = pick(yk, bin), yUp = pick(yUpper, bin);
        Tensor wb = pick(w, bin), hb = pick(hgt, bin), d0 = pick(dLo, bin), d1 = pick(dHi, bin);
        Tensor sb = hb.div(wb);
        Tensor low = y.sub(y0).clamp_min(new Scalar(0));             // y - y_k
        Tensor high = oneMinusY.sub(yUp).clamp_min(new Scalar(0));  // y_{k+1} - y
        Tensor xi = solve(low, hb, sb, d0, d1);
        Tensor eta = solve(high, hb, sb, d1, d0);
        Tensor s = x0.add(wb.mul(xi));
        Tensor t = torch.where(last, wb.mul(eta), torch.ones_like(s).sub(s));
        return new Tensor[] {s, t};
    }

    /** The root xi in [0, 1] of the rational quadratic with offset {@code v} from its lower knot. */
    private static Tensor solve(Tensor v, Tensor hb, Tensor sb, Tensor dA, Tensor dB) {
        Tensor k = dA.add(dB).sub(sb.mul(new Scalar(2)));
        Tensor a = hb.mul(sb.sub(dA)).add(v.mul(k));
        Tensor b = hb.mul(dA).sub(v.mul(k));
        Tensor c = sb.mul(v).neg();
        Tensor disc = b.mul(b).sub(a.mul(c).mul(new Scalar(4))).clamp_min(new Scalar(0));
        return c.mul(new Scalar(2)).div(b.neg().sub(disc.sqrt()));
    }
}
