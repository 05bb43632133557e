package org.gaugeflow.bindings;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Zero-copy access to the memory of a CPU tensor for the native engine. A batch of gauge fields
 * (docs/conventions.md, "Batched gauge-field tensor layout") that is contiguous complex128 holds
 * configuration b at double offset b * doublesPerConfig: exactly the ABI layout [d][V][N][N][re,im].
 */
public final class TensorMemory {

    private TensorMemory() {
    }

    /**
     * Pointer to configuration {@code b} of {@code t}, which must be a contiguous complex128 CPU tensor
     * holding a whole number of configurations of {@code doublesPerConfig} doubles. No copy is made:
     * the native engine reads and writes the tensor's storage.
     */
    public static DoublePointer field(Tensor t, long doublesPerConfig, int b) {
        if (t == null || t.isNull()) {
            throw new IllegalArgumentException("tensor is null");
        }
        if (!t.is_cpu()) {
            throw new IllegalArgumentException("native engine needs a CPU tensor, got device " + t.device().str().getString());
        }
        if (t.scalar_type().value != ScalarType.ComplexDouble.value) { // JavaCPP enums: compare values
            throw new IllegalArgumentException("native engine needs complex128, got " + t.scalar_type());
        }
        if (!t.is_contiguous()) {
            throw new IllegalArgumentException("native engine needs a contiguous tensor (call contiguous())");
        }
        final long doubles = 2 * t.numel();
        if (doublesPerConfig <= 0 || doubles % doublesPerConfig != 0) {
            throw new IllegalArgumentException("tensor of " + t.numel() + " complex numbers does not hold whole configurations of "
                    + doublesPerConfig / 2 + " (shape mismatch)");
        }
        final long batch = doubles / doublesPerConfig;
        if (b < 0 || b >= batch) {
            throw new IllegalArgumentException("configuration index " + b + " outside batch of " + batch);
        }
        DoublePointer p = new DoublePointer(t.data_ptr());
        return p.position(b * doublesPerConfig);
    }
}
