package org.gaugeflow.tensor;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * A seeded random-number stream on the device of the tensors it makes. Every run records its seeds,
 * and the same seed gives the same numbers on CPU. The state can be saved and restored so that
 * resumed chains continue the same sequence.
 */
public final class Rng implements AutoCloseable {
    private final Generator generator;
    private final long seed;
    private final FieldOptions options;

    public Rng(long seed, FieldOptions options) {
        this.seed = seed;
        this.options = options;
        if (options.isCuda()) {
            String d = options.device();
            byte index = (byte) (d.contains(":") ? Integer.parseInt(d.substring(d.indexOf(':') + 1)) : 0);
            generator = torch_cuda.make_generator_cuda(index);
        } else {
            generator = torch.createCPUGenerator(seed);
        }
        generator.set_current_seed(seed);
        generator.retainReference();
    }

    public long seed() { return seed; }

    public FieldOptions options() { return options; }

    public GeneratorOptional optional() { return new GeneratorOptional(generator); }

    /** Standard normal real numbers of the given shape. */
    public Tensor normal(long... shape) {
        return torch.randn(shape, optional(), options.real());
    }

    /** Complex normal numbers: real and imaginary parts each with variance 1/2. */
    public Tensor complexNormal(long... shape) {
        return torch.randn(shape, optional(), options.complex());
    }

    /** Uniform numbers in [0, 1). */
    public Tensor uniform(long... shape) {
        return torch.rand(shape, optional(), options.real());
    }

    /** The generator's full state (a CPU byte tensor), for checkpoints. */
    public Tensor state() { return generator.get_state(); }

    public void setState(Tensor state) { generator.set_state(state); }

    /** The generator's state as plain bytes (for checkpoints; {@link #setStateBytes} restores it). */
    public byte[] stateBytes() {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            Tensor s = state().cpu().contiguous();
            byte[] out = new byte[(int) s.nbytes()];
            s.data_ptr_byte().get(out);
            return out;
        }
    }

    /** Restores a state saved by {@link #stateBytes}. */
    public void setStateBytes(byte[] state) {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope();
             org.bytedeco.javacpp.BytePointer p = new org.bytedeco.javacpp.BytePointer(state)) {
            Tensor t = torch.from_blob(p, new long[] {state.length},
                    new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Byte)).clone();
            setState(t);
        }
    }

    @Override public void close() { generator.releaseReference(); }
}
