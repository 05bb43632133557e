package org.gaugeflow.io.nersc;

/**
 * Rebuilds the third row of an SU(3) matrix from its first two: {@code w = conj(u x v)}, i.e.
 * {@code w_0 = conj(u_1 v_2 - u_2 v_1)}, {@code w_1 = conj(u_2 v_0 - u_0 v_2)},
 * {@code w_2 = conj(u_0 v_1 - u_1 v_0)}. For rows u, v of a special unitary matrix this is exactly its
 * third row (the columns of the cofactor matrix of U are those of {@code det(U) (U^dagger)^T}).
 */
public final class ThirdRow {

    private ThirdRow() {
    }

    /**
     * Fills reals {@code [off+12, off+18)} of a row-major 3x3 complex matrix (interleaved re, im)
     * from reals {@code [off, off+12)}.
     */
    public static void reconstruct(double[] m, int off) {
        for (int c = 0; c < 3; c++) {
            int c1 = (c + 1) % 3;
            int c2 = (c + 2) % 3;
            // u_{c1} v_{c2} - u_{c2} v_{c1}
            double ar = m[off + 2 * c1];
            double ai = m[off + 2 * c1 + 1];
            double br = m[off + 6 + 2 * c2];
            double bi = m[off + 6 + 2 * c2 + 1];
            double cr = m[off + 2 * c2];
            double ci = m[off + 2 * c2 + 1];
            double dr = m[off + 6 + 2 * c1];
            double di = m[off + 6 + 2 * c1 + 1];
            double re = (ar * br - ai * bi) - (cr * dr - ci * di);
            double im = (ar * bi + ai * br) - (cr * di + ci * dr);
            m[off + 12 + 2 * c] = re;
            m[off + 12 + 2 * c + 1] = 0.0 - im; // not -im: a zero stays +0.0
        }
    }
}
