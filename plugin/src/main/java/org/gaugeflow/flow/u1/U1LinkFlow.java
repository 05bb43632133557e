package org.gaugeflow.flow.u1;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.flow.Transform;
import org.gaugeflow.flow.Transformed;
import org.gaugeflow.group.U1;

/**
 * The boundary between GaugeField link tensors [B, d, L_{d-1}..L_0, 1, 1] and link angles
 * [B, d, L_{d-1}..L_0]: converts links to angles, applies an angle transform, converts back.
 * theta is a coordinate of the normalized Haar measure d theta / (2 pi), so log|det| is unchanged.
 */
public final class U1LinkFlow extends Module implements Transform {
    private final Transform angles;

    public U1LinkFlow(Transform angleTransform) {
        this.angles = angleTransform;
        if (angleTransform instanceof Module m) register_module("angles", m);
    }

    @Override public Transformed forward(Tensor links, Tensor context) {
        Transformed t = angles.forward(U1.angle(links), context);
        return new Transformed(toLinks(t.value()), t.logDet());
    }

    @Override public Transformed inverse(Tensor links, Tensor context) {
        Transformed t = angles.inverse(U1.angle(links), context);
        return new Transformed(toLinks(t.value()), t.logDet());
    }

    private static Tensor toLinks(Tensor theta) { return U1.fromAngle(theta).unsqueeze(-1).unsqueeze(-1); }
}
