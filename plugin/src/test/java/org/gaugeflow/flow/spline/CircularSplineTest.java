package org.gaugeflow.flow.spline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

class CircularSplineTest {
    private static final double TWO_PI = 2 * Math.PI;

    /** Circular distance between angle arrays. */
    private static double circularMaxDiff(Tensor a, Tensor b) {
        double[] x = Tensors.toArray(a);
        double[] y = Tensors.toArray(b);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.IEEEremainder(x[i] - y[i], TWO_PI);
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    @Test
    void inverseOfForwardIsIdentityAndLogDerivativesCancel() {
        CircularSpline spline = new CircularSpline(9);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(11, FieldOptions.CPU_DOUBLE)) {
            // parameters of the scale a network emits; see the next test for extreme ones
            Tensor params = rng.normal(64, 50, spline.parameterCount());
            Tensor x = rng.uniform(64, 50).mul(new Scalar(6 * Math.PI)).sub(new Scalar(3 * Math.PI));
            CircularSpline.Result y = spline.forward(x, params);
            double[] yv = Tensors.toArray(y.value());
            for (double v : yv) assertTrue(v >= 0 && v < TWO_PI, "output " + v + " outside [0, 2pi)");
            CircularSpline.Result back = spline.inverse(y.value(), params);
            assertTrue(circularMaxDiff(back.value(), x) < 1e-10, "inverse(forward(x)) != x: " + circularMaxDiff(back.value(), x));
            assertTrue(Tensors.maxAbs(back.logDerivative().add(y.logDerivative())) < 1e-10);
            // and forward(inverse(y)) = y for arbitrary y
            Tensor yy = rng.uniform(64, 50).mul(new Scalar(TWO_PI));
            Tensor fx = spline.forward(spline.inverse(yy, params).value(), params).value();
            assertTrue(circularMaxDiff(fx, yy) < 1e-10);
        }
    }

    /**
     * Extreme parameters make f' as small as ~1e-6 somewhere; there the inverse is only as well
     * conditioned as the map (an output rounded by eps moves x by eps / f'), so the round trip is checked
     * in the output metric: |x' - x| f'(x) stays at rounding level.
     */
    @Test
    void roundTripWithExtremeParametersIsExactUpToConditioning() {
        CircularSpline spline = new CircularSpline(9);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(17, FieldOptions.CPU_DOUBLE)) {
            // 64k points: many fall near the top of bins with d_{k+1} > 2 s, where the inverse's quadratic has
            // b < 0 and the textbook root 2c / (-b - sqrt(disc)) loses digits (seen: 3e-13 here)
            Tensor params = rng.normal(64, 1000, spline.parameterCount()).mul(new Scalar(3.0));
            Tensor x = rng.uniform(64, 1000).mul(new Scalar(TWO_PI));
            CircularSpline.Result y = spline.forward(x, params);
            Tensor back = spline.inverse(y.value(), params).value();
            double[] dx = Tensors.toArray(back.sub(x));
            double[] ld = Tensors.toArray(y.logDerivative());
            for (int i = 0; i < dx.length; i++) {
                double err = Math.abs(Math.IEEEremainder(dx[i], TWO_PI)) * Math.exp(ld[i]);
                assertTrue(err < 1e-13, "round trip at " + i + ": |dx| f' = " + err);
            }
        }
    }

    @Test
    void logDerivativeMatchesAutograd() {
        CircularSpline spline = new CircularSpline(7);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(12, FieldOptions.CPU_DOUBLE)) {
            Tensor params = rng.normal(200, spline.parameterCount()).mul(new Scalar(1.5));
            Tensor x = rng.uniform(200).mul(new Scalar(TWO_PI)).set_requires_grad(true);
            CircularSpline.Result y = spline.forward(x, params);
            y.value().sum().backward();
            Tensor autograd = x.grad().log();
            assertTrue(Tensors.maxAbs(autograd.sub(y.logDerivative().detach())) < 1e-10, "forward log-derivative");

            Tensor yin = rng.uniform(200).mul(new Scalar(TWO_PI)).set_requires_grad(true);
            CircularSpline.Result xinv = spline.inverse(yin, params);
            xinv.value().sum().backward();
            assertTrue(Tensors.maxAbs(yin.grad().log().sub(xinv.logDerivative().detach())) < 1e-10, "inverse log-derivative");
        }
    }

    @Test
    void monotoneOntoTheCircleWithFixedSeam() {
        CircularSpline spline = new CircularSpline(8);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(13, FieldOptions.CPU_DOUBLE)) {
            int n = 20001;
            Tensor params = rng.normal(1, spline.parameterCount()).mul(new Scalar(2.0)).expand(new long[] {n, spline.parameterCount()}).contiguous();
            Tensor x = torch.linspace(new Scalar(0.0), new Scalar(TWO_PI * (n - 1) / n), n, FieldOptions.CPU_DOUBLE.real());
            double[] y = Tensors.toArray(spline.forward(x, params).value());
            assertEquals(0.0, y[0], 0.0, "f(0) = 0");
            for (int i = 1; i < n; i++) assertTrue(y[i] > y[i - 1], "not increasing at " + i);
            assertTrue(y[n - 1] > TWO_PI - 0.01 && y[n - 1] < TWO_PI, "last value " + y[n - 1]);
        }
    }

    @Test
    void behaviourAtTheSeam() {
        CircularSpline spline = new CircularSpline(6);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(14, FieldOptions.CPU_DOUBLE)) {
            // the first six are exactly the seam once reduced mod 2 pi; the rest approach it from both sides
            double[] xs = {0.0, TWO_PI, -0.0, -1e-300, -TWO_PI, 4 * Math.PI, -1e-17, 1e-15, TWO_PI - 1e-15, 1e-12, TWO_PI - 1e-12};
            int n = xs.length;
            Tensor params = rng.normal(1, spline.parameterCount()).mul(new Scalar(2.0)).expand(new long[] {n, spline.parameterCount()}).contiguous();
            Tensor x = Tensors.fromArray(xs, n);
            CircularSpline.Result r = spline.forward(x, params);
            double[] y = Tensors.toArray(r.value());
            double[] ld = Tensors.toArray(r.logDerivative());
            for (int i = 0; i < n; i++) {
                assertTrue(y[i] >= 0 && y[i] < TWO_PI, "x = " + xs[i] + " -> " + y[i]);
                double dist = Math.abs(Math.IEEEremainder(y[i], TWO_PI));
                assertTrue(dist < 1e-10, "x = " + xs[i] + " maps to " + y[i] + ", expected the seam");
                // one derivative on both sides of the seam (d_K = d_0): exact on it, continuous near it
                double tol = i < 7 ? 0.0 : (i < 9 ? 1e-9 : 1e-6);
                assertEquals(ld[0], ld[i], tol, "log-derivative at x = " + xs[i]);
            }
            // the inverse at the seam
            CircularSpline.Result inv = spline.inverse(Tensors.fromArray(xs, n), params);
            double[] xi = Tensors.toArray(inv.value());
            for (int i = 0; i < n; i++) assertTrue(Math.abs(Math.IEEEremainder(xi[i], TWO_PI)) < 1e-10);
        }
    }

    @Test
    void zeroParametersGiveTheIdentity() {
        CircularSpline spline = new CircularSpline(5);
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(15, FieldOptions.CPU_DOUBLE)) {
            Tensor x = rng.uniform(100).mul(new Scalar(TWO_PI));
            CircularSpline.Result r = spline.forward(x, torch.zeros(new long[] {100, 15}, FieldOptions.CPU_DOUBLE.real()));
            assertTrue(Tensors.maxAbs(r.value().sub(x)) < 1e-12);
            assertTrue(Tensors.maxAbs(r.logDerivative()) < 1e-12);
        }
    }

    /** With a rotation: f(x) = h(x) + t (mod 2 pi) with h the spline of the first 3K parameters; exact round trip. */
    @Test
    void rotationFollowsTheSplineAndInvertsExactly() {
        CircularSpline rotated = new CircularSpline(8, true);
        CircularSpline plain = new CircularSpline(8);
        assertEquals(25, rotated.parameterCount());
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(21, FieldOptions.CPU_DOUBLE)) {
            Tensor params = rng.normal(64, 50, rotated.parameterCount()); // the scale of the first test
            Tensor x = rng.uniform(64, 50).mul(new Scalar(6 * Math.PI)).sub(new Scalar(3 * Math.PI));
            CircularSpline.Result y = rotated.forward(x, params);
            CircularSpline.Result h = plain.forward(x, params.narrow(-1, 0, 24));
            Tensor t = params.select(-1, 24);
            assertTrue(circularMaxDiff(y.value(), h.value().add(t)) < 1e-12);
            assertTrue(Tensors.maxAbs(y.logDerivative().sub(h.logDerivative())) < 1e-12);
            for (double v : Tensors.toArray(y.value())) assertTrue(v >= 0 && v < TWO_PI, "output " + v + " outside [0, 2pi)");
            CircularSpline.Result back = rotated.inverse(y.value(), params);
            assertTrue(circularMaxDiff(back.value(), x) < 1e-10, "inverse(forward(x)) != x: " + circularMaxDiff(back.value(), x));
            assertTrue(Tensors.maxAbs(back.logDerivative().add(y.logDerivative())) < 1e-10);
            // all-zero parameters (rotation included) are still the identity
            Tensor x0 = rng.uniform(100).mul(new Scalar(TWO_PI));
            CircularSpline.Result r = rotated.forward(x0, torch.zeros(new long[] {100, 25}, FieldOptions.CPU_DOUBLE.real()));
            assertTrue(Tensors.maxAbs(r.value().sub(x0)) < 1e-12);
            assertTrue(Tensors.maxAbs(r.logDerivative()) < 1e-12);
        }
    }

    @Test
    void differentiableInItsParametersWithRotation() {
        assertParameterGradientMatchesFiniteDifferences(new CircularSpline(4, true), 22, 0.3);
    }

    @Test
    void differentiableInItsParameters() {
        assertParameterGradientMatchesFiniteDifferences(new CircularSpline(4), 16, 1.0);
    }

    /** Autograd's gradient of sum(f(x) + log f'(x)) in every parameter against central differences (h = 1e-6). */
    private static void assertParameterGradientMatchesFiniteDifferences(CircularSpline spline, long seed, double scale) {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            Tensor p0 = rng.normal(3, spline.parameterCount()).mul(new Scalar(scale));
            Tensor x = rng.uniform(3).mul(new Scalar(TWO_PI));
            Tensor p = p0.clone().set_requires_grad(true);
            CircularSpline.Result r = spline.forward(x, p);
            r.value().add(r.logDerivative()).sum().backward();
            double[] g = Tensors.toArray(p.grad());
            double[] base = Tensors.toArray(p0);
            double h = 1e-6;
            for (int i = 0; i < base.length; i++) {
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                double fp = objective(spline, x, Tensors.fromArray(plus, 3, spline.parameterCount()));
                double fm = objective(spline, x, Tensors.fromArray(minus, 3, spline.parameterCount()));
                assertEquals((fp - fm) / (2 * h), g[i], 1e-6, "d/dparam " + i);
            }
        }
    }

    private static double objective(CircularSpline spline, Tensor x, Tensor p) {
        CircularSpline.Result r = spline.forward(x, p);
        return r.value().add(r.logDerivative()).sum().item_double();
    }

    @Test
    void rejectsBadShapes() {
        CircularSpline spline = new CircularSpline(4);
        try (PointerScope s = new PointerScope()) {
            Tensor x = torch.zeros(new long[] {3}, FieldOptions.CPU_DOUBLE.real());
            Tensor p = torch.zeros(new long[] {3, 11}, FieldOptions.CPU_DOUBLE.real());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spline.forward(x, p));
            assertTrue(e.getMessage().contains("[3] + [12]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new CircularSpline(1));
    }
}
