package org.gaugeflow.chain;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.Rng;

/** Generator states as plain bytes, for checkpoints. */
final class RngStates {
    private RngStates() {}

    static byte[] bytes(Rng rng) {
        try (PointerScope scope = new PointerScope()) {
            Tensor s = rng.state().cpu().contiguous();
            byte[] out = new byte[(int) s.nbytes()];
            s.data_ptr_byte().get(out);
            return out;
        }
    }

    static void set(Rng rng, byte[] state) {
        try (PointerScope scope = new PointerScope(); BytePointer p = new BytePointer(state)) {
            Tensor t = torch.from_blob(p, new long[] {state.length}, new TensorOptions(torch.ScalarType.Byte)).clone();
            rng.setState(t);
        }
    }
}
