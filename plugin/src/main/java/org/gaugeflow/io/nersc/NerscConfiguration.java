package org.gaugeflow.io.nersc;

/**
 * A gauge configuration read from a NERSC file, without tensors.
 *
 * @param source   the file (as error messages name it)
 * @param header   every header key, unknown ones included
 * @param layout   lattice, stored rows and real format (the byte order settled for {@code IEEE32}/{@code IEEE64})
 * @param links    the full 3x3 links in ILDG order {@code [t][z][y][x][mu][row][col][re,im]}, length
 *                 {@link NerscLayout#ildgLength()}
 * @param computed checksum, plaquette, link trace and unitarity as computed from the data
 */
public record NerscConfiguration(String source, NerscHeader header, NerscLayout layout, double[] links,
        NerscChecks computed) {

    /** L_x, L_y, L_z, L_t. */
    public int[] extents() {
        return layout.extents();
    }
}
