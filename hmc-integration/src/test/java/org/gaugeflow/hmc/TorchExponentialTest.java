package org.gaugeflow.hmc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HMC exponential of the LibTorch engine agrees with linalg_matrix_exp to rounding, with and without squaring. */
class TorchExponentialTest {

    @ParameterizedTest
    @CsvSource({"su2, 0.05", "su2, 3.0", "su3, 0.05", "su3, 0.7", "su3, 5.0"})
    void matchesMatrixExp(String group, double t) {
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(3, FieldOptions.CPU_DOUBLE)) {
            GaugeGroup g = GaugeGroup.parse(group);
            Tensor x = Tensors.timesI(g.randomAlgebra(rng, 64)).mul(new Scalar(t));
            double diff = TorchMolecularDynamics.expAntiHermitian(x).sub(torch.linalg_matrix_exp(x)).abs().max().item_double();
            assertTrue(diff < 5e-14, group + " t=" + t + ": max |diff| = " + diff);
        }
    }
}
