package org.gaugeflow.io.ildg;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * How far the links of a configuration are from the group: the largest |(U U^dagger - 1)_ij| over
 * all links and matrix entries, and for SU(N) the largest |det U - 1|. Computed one time slice
 * (first dim) at a time to bound the memory used.
 */
public final class UnitarityCheck {

    /**
     * @param maxUnitarity max over links and entries of |(U U^dagger - 1)_ij|
     * @param maxDet       max over links of |det U - 1|; NaN for U(1), where det = 1 is not a constraint
     */
    public record Deviation(double maxUnitarity, double maxDet) {
    }

    private UnitarityCheck() {
    }

    /** @param links complex tensor [..., N, N] in ILDG order (first dim sliced) */
    public static Deviation of(Tensor links, FieldType field) {
        double unit = 0;
        double det = field.special() ? 0 : Double.NaN;
        long slices = links.size(0);
        try (PointerScope scope = new PointerScope()) {
            Tensor eye = torch.eye(field.colors(), new TensorOptions(links.scalar_type()));
            Scalar one = new Scalar(1.0);
            for (long i = 0; i < slices; i++) {
                try (PointerScope inner = new PointerScope()) {
                    Tensor u = links.select(0, i);
                    Tensor uu = torch.matmul(u, u.mH());
                    unit = Math.max(unit, uu.sub(eye).abs().amax().item_double());
                    if (field.special()) {
                        det = Math.max(det, torch.linalg_det(u).sub(one).abs().amax().item_double());
                    }
                }
            }
        }
        return new Deviation(unit, det);
    }
}
