package org.gaugeflow.hmc;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.GaugeGroup;

/**
 * Projection of nearly unitary link matrices back onto the group after the HMC link update, the same
 * maps as the native engine (gaugeflow_engine.h, "Reunitarization"): U(1) U/|U|; SU(2) row 0
 * normalized, row 1 = (-conj(u01), conj(u00)); SU(3) Gram-Schmidt on rows 0 and 1, row 2 =
 * conj(row0 x row1). Other N use the group's polar projection. Cheap: no inverses or eigensolvers.
 */
final class Reunitarization {

    private Reunitarization() {
    }

    static Tensor project(GaugeGroup g, Tensor m) {
        switch (g.n()) {
            case 1: return m.div(m.abs());
            case 2: return su2(m);
            case 3: return su3(m);
            default: return g.project(m);
        }
    }

    private static Tensor su2(Tensor m) {
        Tensor row = normalized(m.select(-2, 0));
        Tensor a = row.select(-1, 0);
        Tensor b = row.select(-1, 1);
        Tensor second = torch.stack(new TensorVector(b.conj().neg(), a.conj()), -1);
        return torch.stack(new TensorVector(row, second), -2);
    }

    private static Tensor su3(Tensor m) {
        Tensor r0 = normalized(m.select(-2, 0));
        Tensor r1 = m.select(-2, 1);
        Tensor overlap = r0.conj().mul(r1).sum(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        r1 = normalized(r1.sub(overlap.mul(r0)));
        // (r0 x r1)_k = r0_{k+1} r1_{k+2} - r0_{k+2} r1_{k+1}; roll by -s moves entry k+s to k
        Tensor r0a = r0.roll(new long[] {-1}, -1);
        Tensor r0b = r0.roll(new long[] {-2}, -1);
        Tensor r1a = r1.roll(new long[] {-1}, -1);
        Tensor r1b = r1.roll(new long[] {-2}, -1);
        Tensor r2 = r0a.mul(r1b).sub(r0b.mul(r1a)).conj();
        return torch.stack(new TensorVector(r0, r1, r2), -2);
    }

    private static Tensor normalized(Tensor row) {
        Tensor a = row.abs();
        Tensor norm = a.mul(a).sum(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt();
        return row.div(norm);
    }
}
