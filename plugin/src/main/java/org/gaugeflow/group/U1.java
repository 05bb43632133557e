package org.gaugeflow.group;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/** U(1): phases e^{i theta} stored as 1 x 1 complex matrices. */
public final class U1 implements GaugeGroup {
    public static final U1 INSTANCE = new U1();

    private U1() {}

    @Override public int n() { return 1; }

    @Override public String name() { return "u1"; }

    @Override public int algebraDimension() { return 1; }

    @Override public Tensor identity(FieldOptions options, long... batchShape) {
        return torch.ones(withMatrix(batchShape), options.complex());
    }

    /** Haar measure on U(1): theta uniform in [-pi, pi). */
    @Override public Tensor haar(Rng rng, long... batchShape) {
        Tensor theta = rng.uniform(withMatrix(batchShape)).mul(new org.bytedeco.pytorch.Scalar(2 * Math.PI))
                .sub(new org.bytedeco.pytorch.Scalar(Math.PI));
        return fromAngle(theta);
    }

    /** Eq. (15): Proj_U(1)(z) = z / |z|. */
    @Override public Tensor project(Tensor m) { return m.div(m.abs()); }

    @Override public Tensor expI(Tensor p) { return fromAngle(torch.real(p)); }

    @Override public Tensor randomAlgebra(Rng rng, long... batchShape) {
        return rng.normal(withMatrix(batchShape)).to(rng.options().precision().complexType());
    }

    @Override public Tensor algebraNormSquaredHalf(Tensor p) {
        Tensor r = torch.real(p).squeeze(-1).squeeze(-1);
        return r.mul(r).mul(new org.bytedeco.pytorch.Scalar(0.5));
    }

    @Override public Tensor algebraGradientOfReTrace(Tensor w) {
        return torch.imag(w).to(w.scalar_type());
    }

    /** e^{i theta} for a real tensor theta (any shape). */
    public static Tensor fromAngle(Tensor theta) {
        return torch.polar(torch.ones_like(theta), theta);
    }

    /** The angle in (-pi, pi] of a U(1) element tensor [..., 1, 1], as [...]. */
    public static Tensor angle(Tensor u) { return u.angle().squeeze(-1).squeeze(-1); }

    static long[] withMatrix(long[] batchShape) {
        long[] s = java.util.Arrays.copyOf(batchShape, batchShape.length + 2);
        s[batchShape.length] = 1;
        s[batchShape.length + 1] = 1;
        return s;
    }

    @Override public String toString() { return "U(1)"; }
}
