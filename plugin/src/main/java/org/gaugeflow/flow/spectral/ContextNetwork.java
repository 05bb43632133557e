package org.gaugeflow.flow.spectral;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.WeightInit;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * A small multilayer perceptron (tanh) from gauge-invariant context features [..., in] to the parameters
 * of an eigenvalue map [..., out]. Weights follow {@link WeightInit} from the init stream; the last layer is
 * scaled by {@code initScale}: 0 makes the flow start as the identity map.
 */
public final class ContextNetwork extends Module {
    private final List<LinearImpl> layers = new ArrayList<>();
    private final int in;
    private final int out;

    public ContextNetwork(int in, int[] hidden, int out, double initScale, FieldOptions options, Rng init) {
        if (in < 0 || out < 1) throw new IllegalArgumentException("network sizes in = " + in + ", out = " + out
                + ": expected in >= 0, out >= 1");
        this.in = in;
        this.out = out;
        int prev = Math.max(in, 1);
        int i = 0;
        for (int h : hidden) {
            if (h < 1) throw new IllegalArgumentException("hidden layer width " + h + ": expected >= 1");
            layers.add(register_module("linear" + i++, new LinearImpl(prev, h)));
            prev = h;
        }
        LinearImpl last = register_module("linear" + i, new LinearImpl(prev, out));
        layers.add(last);
        to(options.torchDevice(), options.precision().realType(), false);
        for (int l = 0; l < layers.size(); l++) WeightInit.linear(layers.get(l), init, l < layers.size() - 1 ? 1.0 : initScale);
    }

    public int inputs() { return in; }

    public int outputs() { return out; }

    /** Parameters [..., out] for features [..., in] (with in = 0, a constant input of ones of batch shape). */
    public Tensor forward(Tensor features) {
        Tensor x = features;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x);
            if (i < layers.size() - 1) x = torch.tanh(x);
        }
        return x;
    }
}
