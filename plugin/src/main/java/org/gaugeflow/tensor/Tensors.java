package org.gaugeflow.tensor;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The few tensor idioms used everywhere (a thin helper layer, not a tensor DSL; docs/architecture.md):
 * dagger, batched matrix products, traces, periodic shifts, scalars.
 *
 * <p>Native memory: every loop body that makes tensors runs inside
 * {@code try (PointerScope s = new PointerScope())}; a tensor that must outlive the scope is passed
 * through {@link #retain(Tensor)} and released by its owner (e.g. {@code GaugeField.close()}).
 */
public final class Tensors {
    private Tensors() {}

    /** Hermitian conjugate over the last two (matrix) dims. */
    public static Tensor dagger(Tensor m) { return m.mH(); }

    /** Batched matrix product a b over the last two dims. */
    public static Tensor mul(Tensor a, Tensor b) { return a.matmul(b); }

    /** Batched product a b c. */
    public static Tensor mul(Tensor a, Tensor b, Tensor c) { return a.matmul(b).matmul(c); }

    /** Batched product a b c d. */
    public static Tensor mul(Tensor a, Tensor b, Tensor c, Tensor d) { return a.matmul(b).matmul(c).matmul(d); }

    /** Complex trace over the last two dims. */
    public static Tensor trace(Tensor m) { return m.diagonal(0, -2, -1).sum(-1); }

    /** Re Tr over the last two dims (a real tensor). */
    public static Tensor reTrace(Tensor m) { return torch.real(trace(m)); }

    /**
     * Periodic shift along tensor dim {@code dim}: result(x) = f(x + steps). (torch.roll moves
     * values forward, so the roll amount is -steps.)
     */
    public static Tensor shift(Tensor f, long dim, int steps) {
        return torch.roll(f, new long[] {-steps}, dim);
    }

    public static Scalar scalar(double v) { return new Scalar(v); }

    /** The complex tensor re + i im (differentiable in both). */
    public static Tensor complex(Tensor re, Tensor im) {
        return torch.view_as_complex(torch.stack(new org.bytedeco.pytorch.TensorVector(re, im), -1).contiguous());
    }

    /** i * t for a complex tensor. */
    public static Tensor timesI(Tensor t) {
        return t.mul(new Scalar(new org.bytedeco.pytorch.DoubleComplex(0, 1)));
    }

    /** The value of a one-element tensor (any device) as a double. */
    public static double item(Tensor t) { return t.item_double(); }

    /** Shape of a tensor as a Java array. */
    public static long[] shape(Tensor t) {
        long n = t.dim();
        long[] s = new long[(int) n];
        for (int i = 0; i < n; i++) s[i] = t.sizes().at(i);
        return s;
    }

    /** Largest absolute entry of a (possibly complex) tensor. */
    public static double maxAbs(Tensor t) { return t.abs().max().item_double(); }

    /** Copies a real tensor to a Java array (row-major; for tests and small results). */
    public static double[] toArray(Tensor t) {
        Tensor c = t.to(torch.ScalarType.Double).cpu().contiguous().flatten();
        double[] out = new double[(int) c.numel()];
        c.data_ptr_double().get(out);
        return out;
    }

    /** A new CPU float64 tensor holding a copy of {@code data} with the given shape. */
    public static Tensor fromArray(double[] data, long... shape) {
        long n = 1;
        for (long v : shape) n *= v;
        if (n != data.length) {
            throw new IllegalArgumentException("array of length " + data.length + " for shape "
                    + java.util.Arrays.toString(shape) + ": expected length " + n);
        }
        try (org.bytedeco.javacpp.DoublePointer p = new org.bytedeco.javacpp.DoublePointer(data)) {
            return torch.from_blob(p, shape, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double)).clone();
        }
    }

    /** Keeps a tensor alive past the innermost PointerScope; its owner must call {@link #release}. */
    public static Tensor retain(Tensor t) {
        t.retainReference();
        return t;
    }

    public static void release(Tensor t) {
        if (t != null && !t.isNull()) t.releaseReference();
    }
}
