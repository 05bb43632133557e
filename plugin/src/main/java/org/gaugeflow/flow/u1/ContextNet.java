package org.gaugeflow.flow.u1;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.WeightInit;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * The context network of a coupling layer: a 2D convolutional network with circular (periodic)
 * padding, LeakyReLU between layers and a linear last layer. Input [B, C_in, L_1, L_0], output
 * [B, C_out, L_1, L_0]. Weights follow {@link WeightInit} (uniform in +-1/sqrt(fan_in) from the init stream). Construct it outside any PointerScope: its parameters live as long as the model.
 */
public final class ContextNet extends Module {
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final int kernel;

    public ContextNet(int inChannels, int[] hidden, int outChannels, int kernel, FieldOptions options, Rng init) {
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel size " + kernel + ": expected an odd number >= 1");
        // a single channel is both NCHW and NHWC, and LibTorch then takes oneDNN's NCHW kernels, whose input
        // gradient is wrong in float32 (see conv): two channels at least
        for (int h : hidden) if (h < 2) throw new IllegalArgumentException("hidden size " + h + ": expected >= 2");
        if (inChannels < 2) throw new IllegalArgumentException("input channels " + inChannels + ": expected >= 2");
        this.kernel = kernel;
        int in = inChannels;
        int n = hidden.length + 1;
        for (int l = 0; l < n; l++) {
            int out = l < hidden.length ? hidden[l] : outChannels;
            long fanIn = (long) in * kernel * kernel;
            Tensor w = WeightInit.uniformFanIn(init, fanIn, out, in, kernel, kernel).to(options.precision().realType());
            Tensor b = WeightInit.uniformFanIn(init, fanIn, out).to(options.precision().realType());
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

    /**
     * A valid (unpadded) convolution, LibTorch's conv2d: oneDNN in float32; in float64 its own kernel, which on
     * the idle 2-core machine was 3x faster than im2col + one BLAS product at batch 1024 (16 layers: 4.2 against
     * 12.7 s per training step) and needed a third of the memory (im2col's columns are kept for the backward
     * pass: 48 layers at batch 1024 did not fit in 23 GB).
     *
     * <p>In float32 the input goes in channels-last (a no-op for the band evaluation, which is laid out that way),
     * which makes LibTorch run oneDNN on NHWC tensors. On NCHW
     * tensors (oneDNN's blocked nChw16c kernels, "jit:avx512_core" and "jit:avx2") the gradient with respect to
     * the input of the LibTorch 2.10 presets is wrong: relative errors of 0.1-1 in about 85% of random small
     * shapes, NaN in 2%, on this project's AVX-512 machines; the NHWC kernels agreed with float64 in 3,000 of
     * 3,000 (docs/architecture.md, "Working with LibTorch"; {@code U1FlowTest.contextNetFloat32GradientsAgreeWithFloat64} checks it).
     */
    private static Tensor conv(Tensor x, Tensor w, Tensor b) {
        if (x.scalar_type().value == torch.ScalarType.Float.value) x = x.contiguous(torch.MemoryFormat.ChannelsLast); // JavaCPP enums: compare values
        return torch.conv2d(x, w, new TensorOptional(b), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
    }

    /**
     * How the network is evaluated when only every 4th row is wanted (both give the same numbers):
     * <ul>
     *   <li>{@code FULL_LATTICE}: every layer on every site, circular padding before each layer, then the
     *       wanted rows picked out: what a straightforward implementation computes (the benchmark's peer);
     *   <li>{@code BANDS} (default): each wanted row's receptive field, a band of 2 n p + 1 rows
     *       (n layers, kernel 2 p + 1), is gathered once from the input with its periodic images and the
     *       bands are stacked along the batch; every layer then runs as a valid convolution and computes
     *       only what the wanted rows depend on (3/4 of the middle layer, 1/4 of the last one for n = 3,
     *       p = 1), with no padding copies between layers but one column pad before the last.
     * </ul>
     */
    public enum Evaluation { FULL_LATTICE, BANDS }

    Evaluation evaluation = Evaluation.BANDS;

    /** Chooses how {@link #apply(Tensor, int, int)} evaluates the network (for benchmarks and tests). */
    public void evaluation(Evaluation e) { this.evaluation = e; }

    /**
     * The network's output only on every 4th row along tensor dim {@code rowDim} (2 or 3) starting at
     * {@code offset}, shape [B, C_out, L_1 / 4, L_0] (rowDim 2) or [B, C_out, L_1, L_0 / 4] (rowDim 3):
     * the coupling layer reads it only on its active plaquettes. {@code rowDim} = -1 evaluates every site.
     */
    public Tensor apply(Tensor x, int rowDim, int offset) {
        if (rowDim < 0) return applyFull(x);
        if (rowDim != 2 && rowDim != 3) throw new IllegalArgumentException("row dim " + rowDim + ": expected 2 or 3");
        long rows = x.size(rowDim);
        if (rows % 4 != 0) throw new IllegalArgumentException("rows " + rows + " along dim " + rowDim + ": expected a multiple of 4");
        if (offset < 0 || offset > 3) throw new IllegalArgumentException("row offset " + offset + ": expected 0..3");
        if (evaluation == Evaluation.BANDS) return applyBands(x, rowDim, offset);
        return applyFull(x).slice(rowDim, new LongOptional(offset), new LongOptional(rows), 4);
    }

    /** Circular padding by p on both spatial dims (concatenation: about 2.5x faster than pad(circular) here). */
    private static Tensor circularPad(Tensor x, int p) { return wrap(wrap(x, 3, p), 2, p); }

    /** Periodic padding by p along one dim: its last p entries before, its first p after. */
    private static Tensor wrap(Tensor x, int dim, int p) {
        long n = x.size(dim);
        return torch.cat(new TensorVector(x.narrow(dim, n - p, p), x, x.narrow(dim, 0, p)), dim);
    }

    /** Every layer on every site, with circular padding before each layer. */
    private Tensor applyFull(Tensor x) {
        int p = kernel / 2;
        int last = weights.size() - 1;
        for (int l = 0; l <= last; l++) {
            if (p > 0) x = circularPad(x, p);
            x = conv(x, weights.get(l), biases.get(l));
            if (l < last) x = torch.leaky_relu(x);
        }
        return x;
    }

    /**
     * BANDS evaluation. Rows along dim 3 are handled as on the transposed lattice: the gather reads the
     * bands transposed and every kernel is transposed, conv(x^T, w^T) = conv(x, w)^T, so the function is the
     * same as on the untransposed lattice.
     */
    private Tensor applyBands(Tensor x, int rowDim, int offset) {
        boolean transposed = rowDim == 3;
        int n = weights.size();
        int p = kernel / 2;
        long batch = x.size(0), channels = x.size(1);
        long rows = x.size(rowDim), cols = x.size(5 - rowDim);
        if (p > cols) throw new IllegalArgumentException("kernel " + kernel + " wider than the lattice (" + cols + " columns)");
        long bands = rows / 4;
        long h = 2L * n * p + 1;                 // receptive field of one output row
        long w = cols + 2L * (n - 1) * p;        // columns: valid convolutions down to exactly L_0 before the last layer
        Tensor index = bandIndex(rows, cols, offset, h, w, n * p, (n - 1) * p, transposed, x.device());
        Tensor g = x.flatten(2, 3).index_select(2, index).view(batch, channels, bands, h, w);
        // bands stacked along the batch: [B L/4, C, h, w]; the convolutions are faster on channels-last
        // activations (and keep that layout), so lay the bands out that way in the one copy
        g = g.permute(0, 2, 3, 4, 1).reshape(batch * bands, h, w, channels).permute(0, 3, 1, 2);
        for (int l = 0; l < n; l++) {
            Tensor wt = transposed ? weights.get(l).transpose(2, 3) : weights.get(l);
            if (l == n - 1 && p > 0) { // the columns are exactly L_0 again: pad them periodically for the last layer
                g = wrap(g, 3, p).contiguous(torch.MemoryFormat.ChannelsLast);
            }
            g = conv(g, wt, biases.get(l));
            if (l < n - 1) g = torch.leaky_relu(g);
        }
        long out = g.size(1);
        Tensor y = g.reshape(batch, bands, out, cols).permute(0, 2, 1, 3); // [B, C_out, L/4, L_0]
        return transposed ? y.transpose(2, 3) : y;
    }

    private final Map<String, Tensor> bandIndices = new HashMap<>();

    /**
     * Flat site indices into the input's [L_1 L_0] (periodic) of every band: rows r - rowPad .. r + rowPad,
     * cols -colPad .. ; with {@code transposed} the rows run along L_0, so (row, col) sits at col * rows + row.
     */
    private Tensor bandIndex(long rows, long cols, int offset, long h, long w, int rowPad, int colPad, boolean transposed, Device device) {
        String key = rows + "x" + cols + "@" + offset + (transposed ? "T" : "") + ":" + device.str().getString();
        Tensor cached = bandIndices.get(key);
        if (cached != null) return cached;
        long bands = rows / 4;
        long[] v = new long[(int) (bands * h * w)];
        int k = 0;
        for (long b = 0; b < bands; b++) {
            for (long i = 0; i < h; i++) {
                long r = Math.floorMod(offset + 4 * b - rowPad + i, rows);
                for (long j = 0; j < w; j++) {
                    long c = Math.floorMod(j - colPad, cols);
                    v[k++] = transposed ? c * rows + r : r * cols + c;
                }
            }
        }
        Tensor t = Tensors.retain(torch.tensor(v).to(device, torch.ScalarType.Long));
        bandIndices.put(key, t);
        return t;
    }
}
