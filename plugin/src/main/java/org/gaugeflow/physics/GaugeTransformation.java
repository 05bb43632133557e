package org.gaugeflow.physics;

import static org.gaugeflow.tensor.Tensors.dagger;
import static org.gaugeflow.tensor.Tensors.mul;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.tensor.Rng;

/** Gauge transformations U_mu(x) -> Omega(x) U_mu(x) Omega(x+mu)^dag, Omega one group element per site. */
public final class GaugeTransformation {
    private GaugeTransformation() {}

    /** Haar-random Omega(x), a per-site tensor [B, L_{d-1}, ..., L_0, N, N]. */
    public static Tensor random(GaugeField f, Rng rng) {
        return f.group().haar(rng, GaugeField.siteShape(f.lattice(), f.batch()));
    }

    /** The transformed field. */
    public static GaugeField apply(GaugeField f, Tensor omega) {
        f.requireCompatible(omega, "gauge transformation");
        int d = f.lattice().dims();
        Tensor[] dirs = new Tensor[d];
        for (int mu = 0; mu < d; mu++) {
            dirs[mu] = mul(omega, f.link(mu), dagger(f.shift(omega, mu, 1)));
        }
        return f.withLinks(torch.stack(new TensorVector(dirs), 1));
    }

    /** A per-site object X(y) attached at y transforming as Omega(y) X Omega(y)^dag. */
    public static Tensor conjugate(Tensor x, Tensor omega) {
        return mul(omega, x, dagger(omega));
    }
}
