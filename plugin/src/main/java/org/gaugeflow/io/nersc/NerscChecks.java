package org.gaugeflow.io.nersc;

/**
 * What a reader computed from the data of a NERSC file, to compare with its header.
 *
 * @param checksum  the NERSC checksum of the data as stored ({@link NerscChecksum})
 * @param plaquette {@code <(1/3) Re Tr P>} of the links as read ({@link LinkStatistics#plaquette})
 * @param linkTrace {@code <(1/3) Re Tr U>} ({@link LinkStatistics#linkTrace})
 * @param deviation distance of the links (third rows rebuilt where not stored) from SU(3)
 */
public record NerscChecks(int checksum, double plaquette, double linkTrace, LinkStatistics.Deviation deviation) {
}
