package org.gaugeflow.io.nersc;

/**
 * The quantities a NERSC header records, computed in plain Java on links in ILDG order
 * ({@code double[]} {@code [t][z][y][x][mu][row][col][re,im]}, mu = x, y, z, t; periodic lattice):
 * the average plaquette {@code <(1/3) Re Tr P_munu(x)>} over sites and the 6 planes (as
 * {@code WilsonAction.averagePlaquette}, Grid's avgPlaquette and QDP++'s NERSC normalization), the
 * link trace {@code <(1/3) Re Tr U_mu(x)>} over sites and the 4 directions, and the distance of the
 * links from SU(3).
 */
public final class LinkStatistics {

    private static final int LINK = 18;
    private static final int SITE = 4 * LINK;

    /**
     * @param maxUnitarity max over links and entries of {@code |(U U^dagger - 1)_ij|}
     * @param maxDet       max over links of {@code |det U - 1|}
     */
    public record Deviation(double maxUnitarity, double maxDet) {
    }

    private LinkStatistics() {
    }

    /** {@code <(1/3) Re Tr P>}, {@code P_munu(x) = U_mu(x) U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag}. */
    public static double plaquette(double[] links, int[] extents) {
        checkLength(links, extents);
        int lx = extents[0];
        int ly = extents[1];
        int lz = extents[2];
        int lt = extents[3];
        int[] stride = {1, lx, lx * ly, lx * ly * lz};
        double[] a = new double[LINK];
        double[] b = new double[LINK];
        double total = 0;
        int[] x = new int[4];
        for (x[3] = 0; x[3] < lt; x[3]++) {
            double slice = 0;
            for (x[2] = 0; x[2] < lz; x[2]++) {
                for (x[1] = 0; x[1] < ly; x[1]++) {
                    for (x[0] = 0; x[0] < lx; x[0]++) {
                        int r = x[0] + stride[1] * x[1] + stride[2] * x[2] + stride[3] * x[3];
                        for (int mu = 0; mu < 4; mu++) {
                            int rmu = x[mu] + 1 == extents[mu] ? r - x[mu] * stride[mu] : r + stride[mu];
                            for (int nu = mu + 1; nu < 4; nu++) {
                                int rnu = x[nu] + 1 == extents[nu] ? r - x[nu] * stride[nu] : r + stride[nu];
                                // Re Tr [U_mu(x) U_nu(x+mu)] [U_nu(x) U_mu(x+nu)]^dagger
                                multiply(links, r * SITE + mu * LINK, links, rmu * SITE + nu * LINK, a);
                                multiply(links, r * SITE + nu * LINK, links, rnu * SITE + mu * LINK, b);
                                double s = 0;
                                for (int i = 0; i < LINK; i++) {
                                    s += a[i] * b[i];
                                }
                                slice += s;
                            }
                        }
                    }
                }
            }
            total += slice;
        }
        return total / (3.0 * 6.0 * volume(extents));
    }

    /** {@code <(1/3) Re Tr U>} over all links. */
    public static double linkTrace(double[] links, int[] extents) {
        checkLength(links, extents);
        double total = 0;
        for (int off = 0; off < links.length; off += LINK) {
            total += links[off] + links[off + 8] + links[off + 16];
        }
        return total / (3.0 * 4.0 * volume(extents));
    }

    /** How far the links are from SU(3); NaN entries make both results NaN. */
    public static Deviation deviation(double[] links) {
        if (links.length % LINK != 0) {
            throw new IllegalArgumentException("array of length " + links.length + " does not hold whole 3x3 complex matrices");
        }
        double unit = 0;
        double det = 0;
        for (int off = 0; off < links.length; off += LINK) {
            for (int i = 0; i < 3; i++) {
                for (int j = i; j < 3; j++) {
                    double re = 0;
                    double im = 0;
                    for (int k = 0; k < 3; k++) {
                        double ar = links[off + 6 * i + 2 * k];
                        double ai = links[off + 6 * i + 2 * k + 1];
                        double br = links[off + 6 * j + 2 * k];
                        double bi = links[off + 6 * j + 2 * k + 1];
                        re += ar * br + ai * bi;
                        im += ai * br - ar * bi;
                    }
                    if (i == j) {
                        re -= 1;
                    }
                    unit = max(unit, Math.hypot(re, im));
                }
            }
            det = max(det, detMinusOne(links, off));
        }
        return new Deviation(unit, det);
    }

    /** {@code |det U - 1|} of the matrix at {@code off}. */
    static double detMinusOne(double[] m, int off) {
        double re = 0;
        double im = 0;
        for (int c = 0; c < 3; c++) {
            int c1 = (c + 1) % 3;
            int c2 = (c + 2) % 3;
            // cofactor: u1_{c1} u2_{c2} - u1_{c2} u2_{c1}
            double pr = mulRe(m, off + 6 + 2 * c1, off + 12 + 2 * c2) - mulRe(m, off + 6 + 2 * c2, off + 12 + 2 * c1);
            double pi = mulIm(m, off + 6 + 2 * c1, off + 12 + 2 * c2) - mulIm(m, off + 6 + 2 * c2, off + 12 + 2 * c1);
            double ur = m[off + 2 * c];
            double ui = m[off + 2 * c + 1];
            re += ur * pr - ui * pi;
            im += ur * pi + ui * pr;
        }
        return Math.hypot(re - 1, im);
    }

    private static double mulRe(double[] m, int a, int b) {
        return m[a] * m[b] - m[a + 1] * m[b + 1];
    }

    private static double mulIm(double[] m, int a, int b) {
        return m[a] * m[b + 1] + m[a + 1] * m[b];
    }

    /** NaN-propagating max. */
    private static double max(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    /** out = A B for 3x3 complex matrices stored at offsets of row-major interleaved arrays. */
    private static void multiply(double[] x, int a, double[] y, int b, double[] out) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double re = 0;
                double im = 0;
                for (int k = 0; k < 3; k++) {
                    double ar = x[a + 6 * i + 2 * k];
                    double ai = x[a + 6 * i + 2 * k + 1];
                    double br = y[b + 6 * k + 2 * j];
                    double bi = y[b + 6 * k + 2 * j + 1];
                    re += ar * br - ai * bi;
                    im += ar * bi + ai * br;
                }
                out[6 * i + 2 * j] = re;
                out[6 * i + 2 * j + 1] = im;
            }
        }
    }

    private static double volume(int[] extents) {
        return (double) extents[0] * extents[1] * extents[2] * extents[3];
    }

    private static void checkLength(double[] links, int[] extents) {
        if (extents.length != 4) {
            throw new IllegalArgumentException("4 extents expected, got " + extents.length);
        }
        long want = (long) volume(extents) * SITE;
        if (links.length != want) {
            throw new IllegalArgumentException("links of length " + links.length + " for lattice "
                    + NerscLayout.describe(extents) + ": expected " + want + " reals in ILDG order");
        }
    }
}
