package org.gaugeflow.model;

import java.util.Arrays;

/**
 * How big a model is, for the memory estimate made before anything is allocated
 * ({@link org.gaugeflow.memory.MemoryEstimate}): its number of parameters, and the real numbers per lattice site
 * that one sample's forward pass produces, summed over all layers (what training keeps for the backward pass) and
 * for the largest layer alone (what sampling without gradients holds at once). The numbers come from the
 * configuration, not from a built model, so a lattice too large to build a model on is refused before it is built.
 * They count the network outputs and features of each layer; the factor for what LibTorch keeps around them is
 * calibrated in {@code MemoryEstimate}.
 *
 * @param parameters            trainable parameters
 * @param activationsPerSite    reals per site per sample summed over layers
 * @param largestLayerPerSite   reals per site per sample of the largest layer
 */
public record ModelFootprint(double parameters, double activationsPerSite, double largestLayerPerSite) {

    /** No model (the Haar proposal). */
    public static final ModelFootprint NONE = new ModelFootprint(0, 0, 0);

    /** Checks the numbers. */
    public ModelFootprint {
        if (!(parameters >= 0) || !(activationsPerSite >= 0) || !(largestLayerPerSite >= 0)) {
            throw new IllegalArgumentException("model footprint (" + parameters + ", " + activationsPerSite + ", "
                    + largestLayerPerSite + "): expected numbers >= 0");
        }
    }

    /**
     * The guess for a model type that does not say (a pipeline's own type): 48 layers of 256 reals per link, the
     * size of the largest built-in models, and no parameters counted.
     */
    public static ModelFootprint generic(int dims, int colors) {
        double perLayer = 256.0 * dims * Math.max(1, colors * colors);
        return new ModelFootprint(0, 48 * perLayer, perLayer);
    }

    /** The sum of two parts of a model (e.g. staple-conditional models and a fine-lattice flow). */
    public ModelFootprint plus(ModelFootprint o) {
        return new ModelFootprint(parameters + o.parameters, activationsPerSite + o.activationsPerSite,
                Math.max(largestLayerPerSite, o.largestLayerPerSite));
    }

    /**
     * Coupling layers whose context network (hidden widths {@code hidden}, kernel {@code kernel}) runs on every site
     * with {@code inputs} input and {@code outputs} output channels per site.
     */
    public static ModelFootprint couplings(int layers, double inputs, int[] hidden, double outputs, int kernel,
            double sitesFraction) {
        double widths = Arrays.stream(hidden).asDoubleStream().sum();
        double perLayer = sitesFraction * (inputs + 2 * widths + 2 * outputs);
        double params = 0;
        double in = inputs;
        for (int h : hidden) {
            params += (in * kernel * kernel + 1) * h;
            in = h;
        }
        params += (in * kernel * kernel + 1) * outputs;
        return new ModelFootprint(layers * params, layers * perLayer, perLayer);
    }
}
