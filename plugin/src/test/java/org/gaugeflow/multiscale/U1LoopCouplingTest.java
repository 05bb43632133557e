package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.U1;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Where the loop coupling's spline has its seam (issue 17): the spline reads arg P + pi, so its fixed point sits at the
 * antipode of the heatbath prior's mode arg P = 0. A link with arg P = pi is left unchanged by any parameters, a link
 * at the mode is moved; the turn is a saved buffer.
 */
class U1LoopCouplingTest {
    private static final FieldOptions OPT = FieldOptions.CPU_DOUBLE;

    @Test
    void splineSeamSitsAtTheAntipodeOfTheLoopsMode() {
        int n = 64;
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(4711, OPT)) {
            U1LoopCoupling c = new U1LoopCoupling(2, 8, new int[] {16, 16}, OPT, rng);
            try (NoGradGuard g = new NoGradGuard()) {                // a far-from-identity spline: random last layer
                StringTensorDict named = c.named_parameters();
                for (long i = 0; i < named.size(); i++) {
                    Tensor p = named.get(i).access();
                    if (named.get(i).key().getString().startsWith("linear2")) p.copy_(rng.uniform(p.sizes().vec().get()).mul(Tensors.scalar(4)).sub(Tensors.scalar(2)));
                }
            }
            Tensor a = rng.uniform(n).mul(Tensors.scalar(2 * Math.PI));
            Tensor b = a.add(rng.uniform(n).sub(Tensors.scalar(0.5)));       // relative angle in +-0.5: strength ~ 1
            Tensor ctx = torch.stack(new TensorVector(U1.fromAngle(a), U1.fromAngle(b)), -1).reshape(n, 1, 2, 1, 1);
            Tensor argSum = U1.fromAngle(a).add(U1.fromAngle(b)).angle();    // alpha starts at (1, 1)
            try (NoGradGuard g = new NoGradGuard()) {
                // arg P = theta + arg sum = pi: the seam, a fixed point of every spline
                Tensor atSeam = argSum.neg().add(Tensors.scalar(Math.PI)).reshape(n, 1);
                Tensor out = U1.angle(c.forward(U1.fromAngle(atSeam).unsqueeze(-1).unsqueeze(-1), ctx).value());
                assertTrue(angleDistance(out, atSeam) < 1e-12, "arg P = pi moved by " + angleDistance(out, atSeam));
                // arg P = 0, the heatbath mode: inside the spline's bins, moved by these parameters
                Tensor atMode = argSum.neg().reshape(n, 1);
                Tensor moved = U1.angle(c.forward(U1.fromAngle(atMode).unsqueeze(-1).unsqueeze(-1), ctx).value());
                assertTrue(angleDistance(moved, atMode) > 1e-3, "arg P = 0 not moved: " + angleDistance(moved, atMode));
            }
            StringTensorDict buffers = c.named_buffers();
            assertEquals(1, buffers.size());
            assertEquals("seam", buffers.get(0).key().getString());
            assertEquals(Math.PI, Tensors.item(buffers.get(0).access()), 0.0);
        }
    }

    /** max over entries of the distance on the circle between two angle tensors. */
    private static double angleDistance(Tensor x, Tensor y) {
        Tensor d = x.sub(y);
        return Tensors.maxAbs(torch.atan2(torch.sin(d), torch.cos(d)));
    }
}
