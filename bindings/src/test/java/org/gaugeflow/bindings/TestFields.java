package org.gaugeflow.bindings;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Small helpers for the native-engine tests: complex128 CPU tensors in the batched layout. */
final class TestFields {

    private TestFields() {
    }

    static Tensor zeros(NativeLattice lat, int batch) {
        return torch.zeros(lat.batchShape(batch), new TensorOptions(ScalarType.ComplexDouble));
    }

    static double[] read(NativeLattice lat, Tensor t, int b) {
        double[] out = new double[(int) lat.fieldDoubles()];
        TensorMemory.field(t, lat.fieldDoubles(), b).get(out);
        return out;
    }

    static void write(NativeLattice lat, Tensor t, int b, double[] data) {
        DoublePointer p = TensorMemory.field(t, lat.fieldDoubles(), b);
        p.put(data);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0.0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Re Tr(P F) summed over links for Hermitian P, F: sum_ij Re(P_ij conj(F_ij)). */
    static double reTrProduct(double[] p, double[] f) {
        double s = 0.0;
        for (int i = 0; i < p.length; i++) {
            s += p[i] * f[i];
        }
        return s;
    }
}
