package org.gaugeflow.flow.u1;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * The context network of a coupling layer: a 2D convolutional network with circular (periodic)
 * padding, LeakyReLU between layers and a linear last layer. Input [B, C_in, L_1, L_0], output
 * [B, C_out, L_1, L_0]. Weights are initialized as PyTorch's Conv2d does (uniform in +-1/sqrt(fan_in)),
 * from a seeded stream. Construct it outside any PointerScope: its parameters live as long as the model.
 */
public final class ContextNet extends Module {
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final int kernel;

    public ContextNet(int inChannels, int[] hidden, int outChannels, int kernel, FieldOptions options, Rng init) {
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel size " + kernel + ": expected an odd number >= 1");
        for (int h : hidden) if (h < 1) throw new IllegalArgumentException("hidden size " + h + ": expected >= 1");
        this.kernel = kernel;
        int in = inChannels;
        int n = hidden.length + 1;
        for (int l = 0; l < n; l++) {
            int out = l < hidden.length ? hidden[l] : outChannels;
            double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
            Tensor w = init.uniform(out, in, kernel, kernel).mul(new Scalar(2 * bound)).sub(new Scalar(bound)).to(options.precision().realType());
            Tensor b = init.uniform(out).mul(new Scalar(2 * bound)).sub(new Scalar(bound)).to(options.precision().realType());
            // keep our own handles: register_parameter returns a reference into the module's dict, which
            // moves when the dict grows; the registered tensor shares its TensorImpl with ours
            register_parameter("conv" + l + "_weight", w);
            register_parameter("conv" + l + "_bias", b);
            weights.add(Tensors.retain(w));
            biases.add(Tensors.retain(b));
            in = out;
        }
    }

    public Tensor apply(Tensor x) { return apply(x, -1, 0); }

    /** Which convolution kernel runs: LibTorch's conv2d, or im2col + one matrix product (BLAS). */
    enum ConvPath { AUTO, CONV2D, IM2COL }

    ConvPath path = ConvPath.AUTO;

    /**
     * A valid (unpadded) convolution. float32 uses LibTorch's conv2d (oneDNN); for float64 this build's
     * conv2d is ~10x slower than a BLAS matrix product (measured: 0.8 GFLOP/s), so AUTO uses
     * im2col + matmul there. Both give the same result (tested).
     */
    private Tensor conv(Tensor x, Tensor w, Tensor b, long[] stride) {
        boolean im2col = path == ConvPath.IM2COL
                || (path == ConvPath.AUTO && x.scalar_type().value == torch.ScalarType.Double.value);
        if (!im2col) {
            return torch.conv2d(x, w, new TensorOptional(b), stride, new long[] {0, 0}, new long[] {1, 1}, 1);
        }
        long batch = x.size(0);
        long outC = w.size(0);
        long hOut = (x.size(2) - kernel) / stride[0] + 1;
        long wOut = (x.size(3) - kernel) / stride[1] + 1;
        Tensor cols = torch.im2col(x, new long[] {kernel, kernel}, new long[] {1, 1}, new long[] {0, 0}, stride); // [B, C k k, H W]
        Tensor y = w.reshape(outC, -1).matmul(cols).add(b.reshape(1, outC, 1));                               // [B, O, H W]
        return y.reshape(batch, outC, hOut, wOut);
    }

    /**
     * The network's output only on every 4th row along tensor dim {@code rowDim} (2 or 3) starting at
     * {@code offset}: the last layer is evaluated as a stride-4 convolution there (the coupling layer
     * reads its output only on the active plaquettes), which saves 3/4 of the last layer's work.
     * {@code rowDim} = -1 evaluates every site.
     */
    public Tensor apply(Tensor x, int rowDim, int offset) {
        int p = kernel / 2;
        int last = weights.size() - 1;
        for (int l = 0; l <= last; l++) {
            if (p > 0) x = torch.pad(x, new long[] {p, p, p, p}, "circular", new org.bytedeco.pytorch.DoubleOptional());
            long[] stride = {1, 1};
            if (l == last && rowDim >= 0) {
                long rows = x.size(rowDim) - 2L * p;           // L
                if (rows % 4 != 0) throw new IllegalArgumentException("rows " + rows + " along dim " + rowDim + ": expected a multiple of 4");
                x = x.narrow(rowDim, offset, rows - 4 + 2L * p + 1);
                stride[rowDim - 2] = 4;
            }
            x = conv(x, weights.get(l), biases.get(l), stride);
            if (l < last) x = torch.leaky_relu(x);
        }
        return x;
    }
}
