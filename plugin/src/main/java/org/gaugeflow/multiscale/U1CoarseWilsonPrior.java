package org.gaugeflow.multiscale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A coarse prior that is itself a gauge theory (Sec. 3: "the coarse prior might be taken as a gauge theory with a
 * coarser lattice spacing than the target density"): 2D U(1) Wilson theory at coupling beta_c on the coarse lattice,
 * q(U) = exp(beta_c sum_P cos phi_P) / Z_c with respect to the normalized Haar measure, Z_c = sum_n I_n(beta_c)^V
 * (V plaquettes; {@link ExactU1TwoD}). beta_c = 0 is the Haar prior.
 *
 * <p>Sampled exactly. On a 2D torus the Haar measure on links is the uniform measure on (gauge transformation,
 * plaquette angles subject to sum_P phi_P = 0 mod 2 pi, the two holonomies), so: the first V - 1 plaquette angles are
 * drawn von Mises at beta_c and the last is -(their sum), accepted with probability exp(beta_c (cos phi_V - 1))
 * (rejection, redrawn until accepted); the links follow in the complete axial gauge (below), with uniform holonomies
 * and a uniform random gauge transformation. log q is evaluated from the links, for any configuration.
 */
public final class U1CoarseWilsonPrior implements Density {
    private static final int MAX_ROUNDS = 100_000;
    private final Lattice lattice;
    private final double beta;
    private final double logZ;

    /** @param beta beta_c in [0, 200] */
    public U1CoarseWilsonPrior(Lattice lattice, double beta) {
        if (lattice.dims() != 2) {
            throw new IllegalArgumentException("coarse Wilson prior on " + lattice + ": expected a 2D lattice (the exact sampler is two-dimensional)");
        }
        if (!(beta >= 0) || beta > 200) throw new IllegalArgumentException("coarse_beta = " + beta + ": expected a coupling in [0, 200]");
        this.lattice = lattice;
        this.beta = beta;
        this.logZ = ExactU1TwoD.logZ(beta, lattice.volume());
    }

    public Lattice lattice() { return lattice; }

    /** beta_c. */
    public double beta() { return beta; }

    @Override public Tensor logProb(Tensor links, Tensor context) {
        GaugeField f = new GaugeField(U1.INSTANCE, lattice, links);   // checks the layout
        return WilsonAction.sumReTracePlaquettes(f).mul(Tensors.scalar(beta)).sub(Tensors.scalar(logZ));
    }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        if (n < 1) throw new IllegalArgumentException("sample count " + n + ": expected >= 1");
        int l0 = lattice.extent(0);
        int l1 = lattice.extent(1);
        Tensor phi = plaquetteAngles(n, rng);                              // [n, V], rank x0 + L0 x1
        Tensor h0 = rng.uniform(n).mul(Tensors.scalar(2 * Math.PI));
        Tensor h1 = rng.uniform(n).mul(Tensors.scalar(2 * Math.PI));
        // complete axial gauge: a_0(x0, x1) = 0 for x0 < L0 - 1, a_1(0, x1) = 0 for x1 < L1 - 1, a_1(0, L1 - 1) = h1.
        // The plaquette phi(x) = a_0(x) + a_1(x + 0) - a_0(x + 1) - a_1(x) then gives, for x0 < L0 - 1,
        // a_1(x0 + 1, x1) = a_1(x0, x1) + phi(x0, x1), and at x0 = L0 - 1, starting from a_0(L0 - 1, 0) = h0,
        // a_0(L0 - 1, x1 + 1) = a_0(L0 - 1, x1) + a_1(0, x1) - a_1(L0 - 1, x1) - phi(L0 - 1, x1); the last plaquette
        // holds by the constraint.
        // per-site tensors of the batch: the coarse lattice is small (2x2 in the examples)
        Tensor zero = torch.zeros_like(h0);
        Tensor[][] a0 = new Tensor[l1][l0];
        Tensor[][] a1 = new Tensor[l1][l0];
        for (int x1 = 0; x1 < l1; x1++) {
            a1[x1][0] = x1 == l1 - 1 ? h1 : zero;
            for (int x0 = 0; x0 + 1 < l0; x0++) {
                a0[x1][x0] = zero;
                a1[x1][x0 + 1] = a1[x1][x0].add(phi.select(1, x0 + (long) l0 * x1));
            }
        }
        a0[0][l0 - 1] = h0;
        for (int x1 = 0; x1 + 1 < l1; x1++) {
            a0[x1 + 1][l0 - 1] = a0[x1][l0 - 1].add(a1[x1][0]).sub(a1[x1][l0 - 1])
                    .sub(phi.select(1, l0 - 1 + (long) l0 * x1));
        }
        // a uniform gauge transformation g: a_mu(x) -> g(x) + a_mu(x) - g(x + mu)
        Tensor g = rng.uniform(n, l1, l0).mul(Tensors.scalar(2 * Math.PI));
        Tensor angles0 = stack(a0, l1).add(g).sub(g.roll(new long[] {-1}, new long[] {2}));
        Tensor angles1 = stack(a1, l1).add(g).sub(g.roll(new long[] {-1}, new long[] {1}));
        Tensor links = U1.fromAngle(torch.stack(new TensorVector(angles0, angles1), 1)).unsqueeze(-1).unsqueeze(-1);
        return new Sample(links, logProb(links, null));
    }

    /** [n, L1, L0] from per-site [n] tensors indexed [x1][x0]. */
    private static Tensor stack(Tensor[][] a, int l1) {
        Tensor[] rows = new Tensor[l1];
        for (int x1 = 0; x1 < l1; x1++) rows[x1] = torch.stack(new TensorVector(a[x1]), 1);
        return torch.stack(new TensorVector(rows), 1);
    }

    /**
     * [n, V] plaquette angles with density prod_P exp(beta_c cos phi_P) on {sum_P phi_P = 0 mod 2 pi}: V - 1 von Mises
     * angles and the last one fixed by the constraint, accepted with probability exp(beta_c (cos phi_V - 1)).
     */
    Tensor plaquetteAngles(long n, Rng rng) {
        long v = lattice.volume();
        Tensor out = torch.zeros(new long[] {n, v}, rng.options().real());
        Tensor done = torch.zeros(new long[] {n}, rng.options().real()).gt(Tensors.scalar(1));
        Tensor kappa = torch.full(new long[] {n, v - 1}, Tensors.scalar(beta), rng.options().real());
        for (int round = 0; round < MAX_ROUNDS; round++) {
            // each round's temporaries are freed with its scope; the result is copied into out and done
            try (PointerScope scope = new PointerScope()) {
                Tensor free = U1HeatbathPrior.vonMises(kappa, rng, new long[] {n, v - 1});
                Tensor last = free.sum(1).neg();
                Tensor accept = rng.uniform(n).lt(torch.exp(torch.cos(last).sub(Tensors.scalar(1)).mul(Tensors.scalar(beta))));
                Tensor take = accept.logical_and(done.logical_not());
                out.copy_(torch.where(take.unsqueeze(1), torch.cat(new TensorVector(free, last.unsqueeze(1)), 1), out));
                done.copy_(done.logical_or(accept));
                if (done.all().item_bool()) return out;
            }
        }
        throw new IllegalStateException("coarse Wilson prior at beta_c = " + beta + ": the rejection sampler did not finish in "
                + MAX_ROUNDS + " rounds");
    }
}
