package org.gaugeflow.multiscale;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.lattice.Lattice;

/**
 * The additional conditioning of a slice model (Sec. 4, "first complication"): staples built from links of the
 * enclosing higher-dimensional fields, which reach out of the slice. A (d-1)-dimensional multiscale model that samples
 * the slice of a d-dimensional doubling layer receives one of these; its staple-conditional models (the coarse prior,
 * U_B and U_perp of its doubling layers, recursively the slices of those) take the staples as extra context.
 *
 * <p>{@link #staples(Lattice)} answers for any level lattice of the slice model, i.e. its target lattice divided by
 * powers of 2 per direction: a link V_nu(z) of a level stands for the straight path of fine slice links from z b to
 * z b + b_nu nu (docs/multiscale.md, "d dimensions"), and its out-of-slice staples are the corresponding coarse paths of
 * the enclosing fields. Staples of a link from s to t run from t back to s, so they transform as
 * Omega(t) S Omega(s)^dag and V S is conjugated by Omega(s).
 */
public interface SliceConditioning {

    /** m: the number of out-of-slice staples per link (2 per enclosing level). */
    int count();

    /**
     * The out-of-slice staples of every link of {@code level}: [B', k, M_{k-1}, ..., M_0, m, N, N] for a k-dimensional
     * level lattice with extents M, B' the slice model's batch. The first two are those of the nearest enclosing
     * doubling layer (through its -mu and +mu sides), then those of the next level out, and so on.
     */
    Tensor staples(Lattice level);
}
