package org.gaugeflow.chain;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Rng;

/**
 * A simple exact U(1) flow for tests: every link angle theta ~ Haar is mapped to theta' = theta + a sin theta
 * (|a| < 1, a monotone map of the circle), so log q(theta') = -sum log(1 + a cos theta). logProb inverts the
 * map by Newton's method (Kepler's equation). {@code broken} drops the log-Jacobian from sample's log q,
 * the kind of bug the chain's consistency check must catch.
 */
final class TiltedU1Proposal implements Density {
    private final Lattice lattice;
    private final double a;
    private final boolean broken;

    TiltedU1Proposal(Lattice lattice, double a, boolean broken) {
        this.lattice = lattice;
        this.a = a;
        this.broken = broken;
    }

    @Override public Sample sample(long n, Rng rng, Tensor context) {
        Tensor theta = U1.angle(GaugeField.haar(U1.INSTANCE, lattice, n, rng).links());
        Tensor y = theta.add(theta.sin().mul(new Scalar(a)));
        Tensor logQ = logJacobian(theta).neg();
        if (broken) logQ = logQ.mul(new Scalar(0.0));
        return new Sample(U1.fromAngle(y).unsqueeze(-1).unsqueeze(-1), logQ);
    }

    @Override public Tensor logProb(Tensor x, Tensor context) {
        Tensor y = U1.angle(x);
        Tensor theta = y.clone();
        for (int i = 0; i < 60; i++) {
            // Newton for theta + a sin theta = y
            Tensor f = theta.add(theta.sin().mul(new Scalar(a))).sub(y);
            theta = theta.sub(f.div(theta.cos().mul(new Scalar(a)).add(new Scalar(1.0))));
        }
        return logJacobian(theta).neg();
    }

    private Tensor logJacobian(Tensor theta) {
        return theta.cos().mul(new Scalar(a)).add(new Scalar(1.0)).log().flatten(1, -1).sum(1);
    }
}
