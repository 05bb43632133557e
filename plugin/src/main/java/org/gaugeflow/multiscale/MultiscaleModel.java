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
import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Rng;

/**
 * A multiscale model (Sec. 3; Algorithm 2 for any d >= 2): a coarse prior, a schedule of doubling layers up to the
 * target lattice, and an optional fine-lattice flow on top (Sec. 3.2: "the multiscale model has been integrated into
 * the overall model as a prior").
 *
 * <p>A density over link tensors [B, d, L_{d-1}, ..., L_0, N, N] of the target lattice: {@code sample} draws
 * configurations with log q, and {@code logProb} evaluates log q of any configuration by inverting the fine flow and
 * coarsening through the doubling layers in reverse order:
 * log q = log q_coarse + sum over layers of log q(new links | staples) + log|det d f^{-1}/dU| (Eqs. (1), (10)).
 *
 * <p>Two kinds: a top-level model (Haar or any unconditional coarse prior, {@link #outerStaples()} = 0), and a
 * <em>slice model</em>, the (d-1)-dimensional model that samples the slices of a d-dimensional doubling layer
 * (Sec. 4). A slice model is conditioned on m out-of-slice staples per link ({@link SliceConditioning}, Algorithm 2's
 * "higher-dimensional staples S"), passes them on to every layer, and draws its coarsest links link by link from a
 * staple-conditional model given those staples (nothing inside the slice is known yet). Slice models have no fine
 * flow.
 *
 * <p>The coarsest lattice has extent >= 2 in every direction ({@link Lattice} does not allow extent 1); the paper's runs
 * start from 2x2 and 2^4 as well.
 */
public final class MultiscaleModel extends Module implements Density {
    private final GaugeGroup group;
    private final Density coarsePrior;
    private final StapleConditionalModel conditionalPrior;
    private final int outer;
    private final Lattice coarse;
    private final Lattice target;
    private final List<DoublingLayer> layers;
    private final Transform fineFlow;

    /**
     * How a model in d > 2 is put together: the {@link UBMode} of the layers inside slice models and the smallest extent
     * of a slice model's coarsest lattice ({@link CoarsePaths#coarsest}).
     */
    public record Structure(UBMode ub, int sliceCoarse) {
        public static final Structure DEFAULT = new Structure(UBMode.CONDITIONAL, 2);

        public Structure {
            if (ub == null) throw new IllegalArgumentException("u_b: expected haar, conditional or checkerboard");
            if (sliceCoarse < 2) throw new IllegalArgumentException("slice_coarse = " + sliceCoarse + ": expected >= 2");
        }
    }

    /** A top-level model with an unconditional coarse prior. */
    public MultiscaleModel(GaugeGroup group, Lattice coarse, Density coarsePrior, List<DoublingLayer> layers,
            Transform fineFlow) {
        this(group, coarse, coarsePrior, null, 0, layers, fineFlow);
    }

    /**
     * A slice model: {@code prior} draws the coarsest links given their {@code outer} out-of-slice staples; every layer
     * must expect {@code outer} staples.
     */
    public static MultiscaleModel slice(GaugeGroup group, Lattice coarse, StapleConditionalModel prior, int outer,
            List<DoublingLayer> layers) {
        if (outer < 1) throw new IllegalArgumentException("slice model with " + outer + " out-of-slice staples: expected >= 1");
        if (prior == null || prior.staples() != outer) {
            throw new IllegalArgumentException("slice model coarse prior with " + (prior == null ? "no" : prior.staples())
                    + " staples: expected " + outer);
        }
        return new MultiscaleModel(group, coarse, null, prior, outer, layers, null);
    }

    private MultiscaleModel(GaugeGroup group, Lattice coarse, Density coarsePrior, StapleConditionalModel conditionalPrior,
            int outer, List<DoublingLayer> layers, Transform fineFlow) {
        Lattice at = coarse;
        for (int i = 0; i < layers.size(); i++) {
            DoublingLayer l = layers.get(i);
            if (!l.coarseLattice().equals(at)) {
                throw new IllegalArgumentException("doubling layer " + i + " on " + l.coarseLattice() + ": expected "
                        + at + " (the output of the layer before)");
            }
            if (l.outerStaples() != outer) {
                throw new IllegalArgumentException("doubling layer " + i + " expects " + l.outerStaples()
                        + " out-of-slice staples: expected " + outer + " like its model");
            }
            at = l.fineLattice();
        }
        this.group = group;
        this.coarse = coarse;
        this.coarsePrior = coarsePrior;
        this.conditionalPrior = conditionalPrior;
        this.outer = outer;
        this.layers = List.copyOf(layers);
        this.target = at;
        this.fineFlow = fineFlow;
        if (coarsePrior instanceof Module m) register_module("coarsePrior", m);
        if (conditionalPrior instanceof Module m) register_module("coarsePrior", m);
        for (int i = 0; i < this.layers.size(); i++) register_module("doubling" + i, this.layers.get(i));
        if (fineFlow instanceof Module m) register_module("fineFlow", m);
    }

    /**
     * The doubling directions from {@code coarse} to {@code target}: directions taken in turn 0, 1, ..., d-1, 0, 1, ...,
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
     * The two-dimensional model with a Haar coarse prior on {@code coarse}, doubling layers by {@link #schedule} up to
     * {@code target}, each with the staple-conditional model {@code perpendicular.apply(coarse lattice of the layer, mu)}
     * (2 staples), and the optional {@code fineFlow} (may be null). For d > 2 use {@link #build}.
     */
    public static MultiscaleModel withHaarPrior(GaugeGroup group, Lattice coarse, Lattice target,
            BiFunction<Lattice, Integer, StapleConditionalModel> perpendicular, Transform fineFlow) {
        if (coarse.dims() != 2) {
            throw new IllegalArgumentException("lattice " + coarse + " of dimension " + coarse.dims()
                    + ": withHaarPrior builds 2D models; expected MultiscaleModel.build with a StapleConditionalFactory for d > 2");
        }
        List<DoublingLayer> layers = new ArrayList<>();
        Lattice at = coarse;
        for (int mu : schedule(coarse, target)) {
            layers.add(new DoublingLayer(group, at, mu, perpendicular.apply(at, mu)));
            at = at.refined(mu, 2);
        }
        return new MultiscaleModel(group, coarse, new HaarDensity(group, coarse), layers, fineFlow);
    }

    /**
     * The model in any dimension d >= 2 with a Haar coarse prior on {@code coarse}, doubling layers by {@link #schedule}
     * up to {@code target} and the optional {@code fineFlow} on top. For d > 2 every layer's slices come from a
     * (d-1)-dimensional slice model built the same way (recursively down to 2D layers), from the coarsest lattice
     * {@link CoarsePaths#coarsest}(slice lattice, {@code structure.sliceCoarse()}) to the slice lattice, conditioned on
     * the out-of-slice staples; every staple-conditional model comes from {@code factory}, in construction order
     * (each layer: U_B models, then U_perp or the slice model).
     */
    public static MultiscaleModel build(GaugeGroup group, Lattice coarse, Lattice target, Structure structure,
            StapleConditionalFactory factory, Transform fineFlow) {
        return build(group, new HaarDensity(group, coarse), coarse, target, structure, factory, fineFlow);
    }

    /** {@link #build} with another coarse prior on {@code coarse} in place of Haar. */
    public static MultiscaleModel build(GaugeGroup group, Density coarsePrior, Lattice coarse, Lattice target,
            Structure structure, StapleConditionalFactory factory, Transform fineFlow) {
        return buildLevel(group, coarsePrior, coarse, target, 0, structure, factory, fineFlow);
    }

    /** A top-level model ({@code outer} = 0, from {@code coarsePrior}) or a slice model (from a SLICE_PRIOR model). */
    static MultiscaleModel buildLevel(GaugeGroup group, Density coarsePrior, Lattice coarse, Lattice target, int outer,
            Structure structure, StapleConditionalFactory factory, Transform fineFlow) {
        int[] schedule = schedule(coarse, target);
        StapleConditionalModel prior = outer == 0 ? null
                : factory.create(StapleConditionalFactory.Role.SLICE_PRIOR, coarse, outer);
        List<DoublingLayer> layers = new ArrayList<>();
        Lattice at = coarse;
        for (int mu : schedule) {
            layers.add(DoublingLayer.build(group, at, mu, outer, structure, factory));
            at = at.refined(mu, 2);
        }
        return outer == 0 ? new MultiscaleModel(group, coarse, coarsePrior, layers, fineFlow)
                : slice(group, coarse, prior, outer, layers);
    }

    public GaugeGroup group() { return group; }

    /** The target (finest) lattice. */
    public Lattice lattice() { return target; }

    public Lattice coarseLattice() { return coarse; }

    public List<DoublingLayer> layers() { return layers; }

    /** The fine-lattice flow, or null. */
    public Transform fineFlow() { return fineFlow; }

    /** The unconditional coarse prior of a top-level model, or null for a slice model. */
    public Density coarsePrior() { return coarsePrior; }

    /** The staple-conditional coarse prior of a slice model, or null for a top-level model. */
    public StapleConditionalModel conditionalPrior() { return conditionalPrior; }

    /** m, the number of out-of-slice staples per link this model is conditioned on (0 for a top-level model). */
    public int outerStaples() { return outer; }

    /** n configurations of the target lattice (link tensors) with their log q, shape [n]; a top-level model only. */
    @Override public Sample sample(long n, Rng rng, Tensor context) { return sample(n, rng, (SliceConditioning) null); }

    /** log q of any configurations of the target lattice (link tensors), shape [B]; a top-level model only. */
    @Override public Tensor logProb(Tensor links, Tensor context) { return logProb(links, (SliceConditioning) null); }

    /** n configurations with log q, given the out-of-slice staples (null for a top-level model). */
    public Sample sample(long n, Rng rng, SliceConditioning conditioning) {
        checkConditioning(conditioning);
        Sample c = outer == 0 ? coarsePrior.sample(n, rng, null)
                : conditionalPrior.sample(n, rng, conditioning.staples(coarse));
        GaugeField f = new GaugeField(group, coarse, c.value());
        Tensor logQ = c.logQ();
        for (DoublingLayer layer : layers) {
            DoublingLayer.Doubled r = layer.refine(f, rng, conditioning);
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

    /** log q of any configurations of the target lattice, given the out-of-slice staples (null for a top-level model). */
    public Tensor logProb(Tensor links, SliceConditioning conditioning) {
        checkConditioning(conditioning);
        Tensor logQ = null;
        if (fineFlow != null) {
            Transformed z = fineFlow.inverse(links, null);
            links = z.value();
            logQ = z.logDet();
        }
        GaugeField f = new GaugeField(group, target, links);
        for (int i = layers.size() - 1; i >= 0; i--) {
            DoublingLayer.Doubled r = layers.get(i).coarsen(f, conditioning);
            f = r.field();
            logQ = logQ == null ? r.logQ() : logQ.add(r.logQ());
        }
        Tensor prior = outer == 0 ? coarsePrior.logProb(f.links(), null)
                : conditionalPrior.logProb(f.links(), conditioning.staples(coarse));
        return logQ == null ? prior : logQ.add(prior);
    }

    /** Samples as a gauge field of the target lattice with log q. */
    public FieldSample sampleField(long n, Rng rng) {
        Sample s = sample(n, rng, (SliceConditioning) null);
        return new FieldSample(new GaugeField(group, target, s.value()), s.logQ());
    }

    private void checkConditioning(SliceConditioning c) {
        int got = c == null ? 0 : c.count();
        if (got != outer) {
            throw new IllegalArgumentException(outer == 0
                    ? "conditioning with " + got + " out-of-slice staples: expected none for a top-level model"
                    : "slice model on " + target + " expects " + outer + " out-of-slice staples per link, got " + got);
        }
    }

    /** A sampled gauge field with its log q, shape [B]. */
    public record FieldSample(GaugeField field, Tensor logQ) {}
}
