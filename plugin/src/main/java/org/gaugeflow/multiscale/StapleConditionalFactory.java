package org.gaugeflow.multiscale;

import org.gaugeflow.lattice.Lattice;

/**
 * Makes the staple-conditional models of a multiscale model in any dimension (Sec. 3.1, Sec. 4), one call per model,
 * in construction order (so the weights drawn from an init stream do not depend on anything else).
 */
@FunctionalInterface
public interface StapleConditionalFactory {

    /** Where a staple-conditional model sits. */
    enum Role {
        /** U_perp of a two-dimensional doubling layer (S_A, S_B, then the out-of-slice staples). */
        PERPENDICULAR,
        /** The links of a slice model's coarsest lattice, given their out-of-slice staples only. */
        SLICE_PRIOR,
        /** U_B given its out-of-slice staples (all sites, or the first checkerboard half). */
        UB,
        /** U_B on the second checkerboard half: out-of-slice staples, then those through the neighbouring U_B. */
        UB_SECOND
    }

    /**
     * @param role    what the model samples
     * @param lattice the lattice whose links it samples: its layer's fine lattice (for U_perp inside a slice model,
     *                the slice's fine lattice), or the coarsest lattice of its slice model (SLICE_PRIOR)
     * @param staples n, the number of staples it is conditioned on
     */
    StapleConditionalModel create(Role role, Lattice lattice, int staples);
}
