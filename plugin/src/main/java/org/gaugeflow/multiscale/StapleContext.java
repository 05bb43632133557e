package org.gaugeflow.multiscale;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.tensor.Tensors;

/**
 * Shape checks for the context of a {@link StapleConditionalModel}: stacked staples
 * [B, sites..., n, N, N] for links [B, sites..., N, N].
 */
final class StapleContext {
    private StapleContext() {}

    /** The per-link batch shape [B, sites...] of a context, checked against n samples and n staples. */
    static long[] siteShape(Tensor context, long batch, int staples, GaugeGroup group) {
        if (context == null) throw new IllegalArgumentException("staple context null: expected [B, sites..., "
                + staples + ", " + group.n() + ", " + group.n() + "]");
        long[] s = Tensors.shape(context);
        if (s.length < 4 || s[s.length - 3] != staples || s[s.length - 2] != group.n() || s[s.length - 1] != group.n()
                || s[0] != batch) {
            throw new IllegalArgumentException("staple context shape " + Arrays.toString(s) + ": expected [" + batch
                    + ", sites..., " + staples + ", " + group.n() + ", " + group.n() + "]");
        }
        return Arrays.copyOf(s, s.length - 3);
    }

    /** Checks that links [B, sites..., N, N] match the context. */
    static void checkLinks(Tensor links, Tensor context, int staples, GaugeGroup group) {
        long[] sites = siteShape(context, links.dim() > 0 ? links.sizes().at(0) : -1, staples, group);
        long[] u = Tensors.shape(links);
        long[] want = Arrays.copyOf(sites, sites.length + 2);
        want[sites.length] = group.n();
        want[sites.length + 1] = group.n();
        if (!Arrays.equals(u, want)) {
            throw new IllegalArgumentException("links shape " + Arrays.toString(u) + ": expected "
                    + Arrays.toString(want) + " to match the staple context");
        }
    }

    /** Staple i of the context, [B, sites..., N, N]. */
    static Tensor staple(Tensor context, int i) { return context.select(-3, i); }
}
