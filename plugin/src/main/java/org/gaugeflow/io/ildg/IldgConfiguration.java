package org.gaugeflow.io.ildg;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * A configuration read from an ILDG file.
 *
 * @param info     the file's metadata
 * @param links    the links in ILDG order, shape [L_{d-1}, ..., L_0, d, N, N], contiguous CPU complex128
 *                 (the input of {@code GaugeField.fromIldgOrder})
 * @param computed the SciDAC checksum of the data as read
 */
public record IldgConfiguration(IldgFileInfo info, Tensor links, ScidacChecksum computed) {

    /** True or false when the file stores a checksum, empty when it has none. */
    public Optional<Boolean> checksumOk() {
        return info.storedChecksum().map(computed::equals);
    }
}
