package org.gaugeflow.multiscale;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Rng;

/**
 * A multiscale model (Sec. 3, Algorithm 2 for d = 2): a coarse prior, a schedule of doubling layers up
 * to the target lattice, and an optional fine-lattice flow on top (Sec. 3.2: "the multiscale model has
 * been integrated into the overall model as a prior").
 *
 * <p>A density over link tensors [B, d, L_{d-1}, ..., L_0, N, N] of the target lattice:
 * {@code sample} draws configurations with log q, and {@code logProb} evaluates log q of any configuration
 * by inverting the fine flow and coarsening through the doubling layers in reverse order:
 * log q = log q_coarse + sum over layers of log q(U_perp | S_A, S_B) + log|det d f^{-1}/dU| (Eqs. (1), (10)).
 *
 * <p>The coarsest lattice has extent >= 2 in every direction ({@link Lattice} does not allow extent 1);
 * the paper's runs start from 2x2 as well. The context argument is unused in d = 2 (in Sec. 4 it would
 * carry the higher-dimensional staples of Algorithm 2).
 */
public final class MultiscaleModel extends Module implements Density {
    private final GaugeGroup group;
    private final Density coarsePrior;
    private final Lattice coarse;
    private final Lattice target;
    private final List<DoublingLayer> layers;
    private final Transform fineFlow;

    public MultiscaleModel(GaugeGroup group, Lattice coarse, Density coarsePrior, List<DoublingLayer> layers,
            Transform fineFlow) {
        Lattice at = coarse;
        for (int i = 0; i < layers.size(); i++) {
            DoublingLayer l = layers.get(i);
            if (!l.coarseLattice().equals(at)) {
                throw new IllegalArgumentException("doubling layer " + i + " on " + l.coarseLattice() + ": expected "
                        + at + " (the output of the layer before)");
            }
            at = l.fineLattice();
        }
        this.group = group;
        this.coarse = coarse;
        this.coarsePrior = coarsePrior;
        this.layers = List.copyOf(layers);
        this.target = at;
        this.fineFlow = fineFlow;
        if (coarsePrior instanceof Module m) register_module("coarsePrior", m);
        for (int i = 0; i < this.layers.size(); i++) register_module("doubling" + i, this.layers.get(i));
        if (fineFlow instanceof Module m) register_module("fineFlow", m);
    }

    /**
     * The doubling directions from {@code coarse} to {@code target}: directions taken in turn 0, 1, 0, 1, ...,
     * each as long as it still needs doubling. Every target extent must be a coarse extent times a power of 2.
     */
    public static int[] schedule(Lattice coarse, Lattice target) {
        if (coarse.dims() != target.dims()) {
            throw new IllegalArgumentException("target lattice " + target + ": expected the dimension of the coarse lattice "
                    + coarse);
        }
        int d = coarse.dims();
        int[] doublings = new int[d];
        for (int mu = 0; mu < d; mu++) {
            int c = coarse.extent(mu);
            int t = target.extent(mu);
            int k = 0;
            while (c < t) {
                c *= 2;
                k++;
            }
            if (c != t) {
                throw new IllegalArgumentException("target extent L_" + mu + " = " + t + ": expected the coarse extent "
                        + coarse.extent(mu) + " times a power of 2");
            }
            doublings[mu] = k;
        }
        List<Integer> out = new ArrayList<>();
        boolean more = true;
        while (more) {
            more = false;
            for (int mu = 0; mu < d; mu++) {
                if (doublings[mu] > 0) {
                    out.add(mu);
                    doublings[mu]--;
                    more = true;
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The model with a Haar coarse prior on {@code coarse}, doubling layers by {@link #schedule} up to
     * {@code target}, each with the staple-conditional model {@code perpendicular.apply(coarse lattice of the
     * layer, mu)}, and the optional {@code fineFlow} (may be null).
     */
    public static MultiscaleModel withHaarPrior(GaugeGroup group, Lattice coarse, Lattice target,
            BiFunction<Lattice, Integer, StapleConditionalModel> perpendicular, Transform fineFlow) {
        List<DoublingLayer> layers = new ArrayList<>();
        Lattice at = coarse;
        for (int mu : schedule(coarse, target)) {
            layers.add(new DoublingLayer(group, at, mu, perpendicular.apply(at, mu)));
            at = at.refined(mu, 2);
        }
        return new MultiscaleModel(group, coarse, new org.gaugeflow.flow.prior.HaarDensity(group, coarse), layers, fineFlow);
    }

    public GaugeGroup group() { return group; }

    /** The target (finest) lattice. */
    public Lattice lattice() { return target; }

    public Lattice coarseLattice() { return coarse; }

    public List<DoublingLayer> layers() { return layers; }

    /** The fine-lattice flow, or null. */
    public Transform fineFlow() { return fineFlow; }

    public Density coarsePrior() { return coarsePrior; }

    /** n configurations of the target lattice (link tensors) with their log q, shape [n]. */
    @Override public Sample sample(long n, Rng rng, Tensor context) {
        Sample c = coarsePrior.sample(n, rng, null);
        GaugeField f = new GaugeField(group, coarse, c.value());
        Tensor logQ = c.logQ();
        for (DoublingLayer layer : layers) {
            DoublingLayer.Doubled r = layer.refine(f, rng);
            f = r.field();
            logQ = logQ.add(r.logQ());
        }
        Tensor links = f.links();
        if (fineFlow != null) {
            Transformed y = fineFlow.forward(links, null);
            links = y.value();
            logQ = logQ.sub(y.logDet());
        }
        return new Sample(links, logQ);
    }

    /** log q of any configurations of the target lattice (link tensors), shape [B]. */
    @Override public Tensor logProb(Tensor links, Tensor context) {
        Tensor logQ = null;
        if (fineFlow != null) {
            Transformed z = fineFlow.inverse(links, null);
            links = z.value();
            logQ = z.logDet();
        }
        GaugeField f = new GaugeField(group, target, links);
        for (int i = layers.size() - 1; i >= 0; i--) {
            DoublingLayer.Doubled r = layers.get(i).coarsen(f);
            f = r.field();
            logQ = logQ == null ? r.logQ() : logQ.add(r.logQ());
        }
        Tensor prior = coarsePrior.logProb(f.links(), null);
        return logQ == null ? prior : logQ.add(prior);
    }

    /** Samples as a gauge field of the target lattice with log q. */
    public FieldSample sampleField(long n, Rng rng) {
        Sample s = sample(n, rng, null);
        return new FieldSample(new GaugeField(group, target, s.value()), s.logQ());
    }

    /** A sampled gauge field with its log q, shape [B]. */
    public record FieldSample(GaugeField field, Tensor logQ) {}
}
