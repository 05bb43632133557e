package org.gaugeflow.multiscale;

import org.gaugeflow.flow.Density;
import org.gaugeflow.group.GaugeGroup;

/**
 * A staple-conditional model (Sec. 3.1, Eq. (11)): a density q(U | S_1, ..., S_n) for one link U per
 * site, conditioned on n staples that transform like U^dag under gauge transformations (so U S_i is
 * conjugated), each link sampled independently given its staples.
 *
 * <p>Shapes: the context is the stacked staples [B, L_{d-1}, ..., L_0, n, N, N]; samples and the U
 * given to {@code logProb} are per-site links [B, L_{d-1}, ..., L_0, N, N]; log q is summed over
 * sites, shape [B]. {@code sample(n, ...)} requires n = B of the context. Densities are with respect
 * to the Haar measure normalized to 1 on each link.
 */
public interface StapleConditionalModel extends Density {

    GaugeGroup group();

    /** The number n of staples the model is conditioned on. */
    int staples();
}
