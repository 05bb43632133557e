package org.gaugeflow.multiscale;

import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.BlockCoupling;

/**
 * Where the learned beta-tilde of each U(1) heatbath prior (Eq. (6)) starts: one value everywhere ({@link Fixed}), or
 * per doubling layer the coupling the new links would have if the plaquettes of the lattice that layer produces were
 * exactly distributed ({@link Auto}).
 */
public sealed interface BetaTildeStart {

    /**
     * The starting beta-tilde of the staple-conditional model that samples links of {@code lattice} in the given role
     * ({@link StapleConditionalFactory}).
     */
    double at(StapleConditionalFactory.Role role, Lattice lattice);

    /** One starting value for every heatbath prior. */
    record Fixed(double value) implements BetaTildeStart {
        public Fixed {
            if (!Double.isFinite(value)) throw new IllegalArgumentException("model.beta_tilde = " + value + ": expected a finite number or auto");
        }

        @Override public double at(StapleConditionalFactory.Role role, Lattice lattice) { return value; }

        @Override public String toString() { return Double.toString(value); }
    }

    /**
     * The block coupling ({@link BlockCoupling}). In 2D, taking a plaquette of a coarser lattice made of n target
     * plaquettes as von Mises at beta_n, the exact conditional of a new perpendicular link between two such plaquettes
     * is the heatbath exp(beta_n [cos theta_1 + cos theta_2]): beta_n is where beta-tilde should start for the layer
     * that produces that lattice (n = 1, beta itself, for the last layer, whose heatbath is then exact). In d > 2 the
     * plaquettes are not independent and no such formula holds; there every prior starts at beta (the Wilson coupling
     * is classically scale-invariant in 4D).
     */
    record Auto(double beta, Lattice target) implements BetaTildeStart {
        public Auto {
            if (!(beta > 0) || Double.isInfinite(beta) || beta > 200) {
                throw new IllegalArgumentException("beta = " + beta + ": beta_tilde auto expects a coupling in (0, 200]");
            }
        }

        @Override public double at(StapleConditionalFactory.Role role, Lattice lattice) {
            if (target.dims() != 2 || lattice.dims() != 2) return beta;
            long n = target.volume() / lattice.volume();
            return BlockCoupling.of(beta, Math.max(1, n));
        }

        @Override public String toString() { return "auto"; }
    }

    /** {@code auto} or a number, as {@code model.beta_tilde} is written in a configuration. */
    public static BetaTildeStart parse(String text, double beta, Lattice target) {
        if (text.equalsIgnoreCase("auto")) return new Auto(beta, target);
        try {
            return new Fixed(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model.beta_tilde = '" + text + "': expected a number or auto");
        }
    }
}
