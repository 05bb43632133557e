package org.gaugeflow.physics;

import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;

/**
 * The target theory of a model or a chain: pure gauge theory with the Wilson action (docs/conventions.md,
 * "Action") for a gauge group on a periodic lattice at coupling beta. The target density is
 * p(U) = exp(-S(U)) / Z with respect to the product of normalized Haar measures.
 *
 * @param group   U(1) or SU(N)
 * @param lattice the periodic lattice
 * @param beta    the Wilson action's coupling
 */
public record Theory(GaugeGroup group, Lattice lattice, double beta) {

    public Theory {
        if (group == null || lattice == null) throw new IllegalArgumentException("theory: group and lattice are required");
        if (!Double.isFinite(beta) || beta < 0) throw new IllegalArgumentException("theory.beta = " + beta + ": expected a finite number >= 0");
    }

    /** The Wilson action at this beta. */
    public WilsonAction action() { return new WilsonAction(beta); }

    /** The same theory on another lattice (volume transfer, coarse lattices). */
    public Theory on(Lattice other) { return new Theory(group, other, beta); }

    /**
     * log Z where it is known exactly (2D U(1): {@link ExactU1TwoD}); NaN otherwise. With it, the reverse KL of
     * Eq. (3) is exact instead of estimated from the model's own samples.
     */
    public double exactLogZ() {
        return group == U1.INSTANCE && lattice.dims() == 2 ? ExactU1TwoD.logZ(beta, lattice.volume()) : Double.NaN;
    }

    @Override public String toString() { return group.name() + " " + lattice + " beta=" + beta; }
}
