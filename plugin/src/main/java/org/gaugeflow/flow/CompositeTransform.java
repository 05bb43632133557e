package org.gaugeflow.flow;

import java.util.List;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/** An ordered list of transforms applied first to last; log-determinants add. */
public final class CompositeTransform extends Module implements Transform {
    private final List<Transform> parts;

    public CompositeTransform(List<? extends Transform> parts) {
        this.parts = List.copyOf(parts);
        for (int i = 0; i < this.parts.size(); i++) {
            if (this.parts.get(i) instanceof Module m) register_module("part" + i, m);
        }
    }

    public List<Transform> parts() { return parts; }

    @Override public Transformed forward(Tensor x, Tensor context) {
        Tensor logDet = null;
        for (Transform t : parts) {
            Transformed r = t.forward(x, context);
            x = r.value();
            logDet = logDet == null ? r.logDet() : logDet.add(r.logDet());
        }
        return new Transformed(x, logDet);
    }

    @Override public Transformed inverse(Tensor y, Tensor context) {
        Tensor logDet = null;
        for (int i = parts.size() - 1; i >= 0; i--) {
            Transformed r = parts.get(i).inverse(y, context);
            y = r.value();
            logDet = logDet == null ? r.logDet() : logDet.add(r.logDet());
        }
        return new Transformed(y, logDet);
    }
}
