package org.gaugeflow.group;

import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;

/**
 * A compact gauge group acting on batched N x N complex matrices: tensors of shape [..., N, N]
 * (U(1) is the case N = 1). Product, adjoint and trace are the matrix ones.
 */
public interface GaugeGroup {

    /** Matrix size N (1 for U(1)). */
    int n();

    /** "u1", "su2", "su3", ... */
    String name();

    /** Number of real algebra coordinates: 1 for U(1), N^2 - 1 for SU(N). */
    int algebraDimension();

    /** Identity elements of shape [batchShape..., N, N]. */
    Tensor identity(FieldOptions options, long... batchShape);

    /** Haar-random elements of shape [batchShape..., N, N] (an exact Haar measure). */
    Tensor haar(Rng rng, long... batchShape);

    /** Projection of arbitrary complex matrices onto the group (Eq. (13), Eq. (15)). */
    Tensor project(Tensor m);

    /** The exponential map exp(i P) of Hermitian algebra elements P. */
    Tensor expI(Tensor p);

    /**
     * Gaussian algebra elements P = sum_a pi_a T_a with pi_a ~ N(0, 1) (Tr T_a T_b = delta_ab / 2 for
     * SU(N); T = 1 for U(1)), as Hermitian matrices [batchShape..., N, N].
     */
    Tensor randomAlgebra(Rng rng, long... batchShape);

    /** (1/2) sum_a pi_a^2 of algebra elements, one value per matrix (shape [batchShape...]). */
    Tensor algebraNormSquaredHalf(Tensor p);

    /**
     * The algebra-valued derivative of Re Tr(W) under W -> exp(i eps X) W, projected to the algebra
     * coordinates and written back as a Hermitian matrix: SU(N): (1/2)[B - Tr(B)/N], B = (W - W^dag)/(2i);
     * U(1): Im W. The HMC force of a link with staple sum A is -(beta/N) of this, with W = U A.
     */
    Tensor algebraGradientOfReTrace(Tensor w);

    default Tensor multiply(Tensor a, Tensor b) { return Tensors.mul(a, b); }

    default Tensor adjoint(Tensor u) { return Tensors.dagger(u); }

    default Tensor trace(Tensor u) { return Tensors.trace(u); }

    /** Parses "u1", "su2", "su3", "su(3)", ... */
    static GaugeGroup parse(String name) {
        String s = name == null ? "" : name.trim().toLowerCase().replace("(", "").replace(")", "");
        if (s.equals("u1")) return U1.INSTANCE;
        if (s.startsWith("su")) {
            int n;
            try {
                n = Integer.parseInt(s.substring(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("group '" + name + "': expected u1, su2, su3 or suN");
            }
            return new SUN(n);
        }
        throw new IllegalArgumentException("group '" + name + "': expected u1, su2, su3 or suN");
    }
}
