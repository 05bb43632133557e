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

    public Tensor apply(Tensor x) {
        int p = kernel / 2;
        for (int l = 0; l < weights.size(); l++) {
            if (p > 0) x = torch.pad(x, new long[] {p, p, p, p}, "circular", new org.bytedeco.pytorch.DoubleOptional());
            x = torch.conv2d(x, weights.get(l), new TensorOptional(biases.get(l)), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
            if (l < weights.size() - 1) x = torch.leaky_relu(x);
        }
        return x;
    }
}
