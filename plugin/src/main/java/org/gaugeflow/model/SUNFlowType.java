package org.gaugeflow.model;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.config.ConfigSection;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * {@code model.type: sun-flow}: the SU(N) fine-lattice flow alone (docs/su3.md), on a lattice of any dimension
 * d >= 2 with even extents: {@code iterations} of the direction-and-location block (12 layers in 2D, 36 in 3D, 64 in
 * 4D) of spectral couplings with context networks of widths {@code hidden},
 * {@code bins} spline bins and last layers scaled by {@code init_scale} (0: the Haar identity map).
 * Defaults: iterations 1, hidden [16, 16], bins 8, init_scale 0.
 */
final class SUNFlowType implements ModelType {
    @Override public String name() { return "sun-flow"; }

    @Override public List<String> keys() { return List.of("iterations", "hidden", "bins", "init_scale"); }

    @Override public Module build(Theory theory, ConfigSection m, FieldOptions options, Rng init) {
        return SUNModels.fineFlow(SUNMultiscaleType.sun(theory, name()), theory.lattice(), new SUNFineLatticeFlow.Architecture(
                m.int32("iterations", 1), m.int32s("hidden", new int[] {16, 16}), m.int32("bins", 8),
                m.number("init_scale", 0.0)), options, init);
    }

    /** Spectral couplings: per link an eigendecomposition and MLP, 6 d layers per iteration (12 in 2D). */
    @Override public ModelFootprint footprint(Theory theory, ConfigSection m) {
        return spectral(theory, 6 * theory.lattice().dims() * m.int32("iterations", 1), m.int32s("hidden", new int[] {16, 16}),
                m.int32("bins", 8), 1.0);
    }

    static ModelFootprint spectral(Theory theory, int layers, int[] hidden, int bins, double sitesFraction) {
        int d = theory.lattice().dims();
        int n = theory.group().n();
        // per link: loop features and eigenvalues in, 3K + 1 spline numbers per eigenvalue out, and the N x N complex
        // matrices of the decomposition (about a dozen of 2 N^2 reals)
        ModelFootprint mlp = ModelFootprint.couplings(layers, d * (4.0 * n + 8), hidden, d * n * (3.0 * bins + 1), 1,
                sitesFraction);
        double matrices = sitesFraction * d * 24.0 * n * n;
        return new ModelFootprint(mlp.parameters(), mlp.activationsPerSite() + layers * matrices,
                mlp.largestLayerPerSite() + matrices);
    }
}
