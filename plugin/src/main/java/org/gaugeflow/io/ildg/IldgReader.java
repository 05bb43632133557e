package org.gaugeflow.io.ildg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.gaugeflow.io.lime.LimeReader;

/**
 * Reads ILDG (and gaugeflow-extension) gauge configurations. See {@link IldgScanner} for what is
 * tolerated in the metadata and {@link BinaryDataReader} for how the data is moved.
 */
public final class IldgReader {

    /**
     * @param lattice        L_0..L_{d-1} for files that do not say (must agree with the file when it does)
     * @param verifyChecksum when true, a stored checksum that differs from the data is an error
     * @param progress       told bytes read so far (may be null)
     */
    public record Options(Optional<long[]> lattice, boolean verifyChecksum, LongConsumer progress) {

        public static Options defaults() {
            return new Options(Optional.empty(), true, null);
        }

        public Options withLattice(long[] extents) {
            return new Options(Optional.ofNullable(extents), verifyChecksum, progress);
        }

        public Options withVerifyChecksum(boolean verify) {
            return new Options(lattice, verify, progress);
        }
    }

    private IldgReader() {
    }

    /** The metadata alone; the binary data is not read. */
    public static IldgFileInfo inspect(Path file, Optional<long[]> lattice) throws IOException {
        try (LimeReader lime = LimeReader.open(file)) {
            return IldgScanner.scan(lime, lattice);
        }
    }

    public static IldgConfiguration read(Path file) throws IOException {
        return read(file, Options.defaults());
    }

    /**
     * @throws ChecksumMismatchException when the stored checksum differs and verification is on
     * @throws IldgFormatException       for metadata that does not fit the data
     * @throws org.gaugeflow.io.lime.LimeFormatException for a damaged LIME structure
     */
    public static IldgConfiguration read(Path file, Options options) throws IOException {
        try (LimeReader lime = LimeReader.open(file)) {
            IldgFileInfo info = IldgScanner.scan(lime, options.lattice());
            BinaryDataReader.Result data = BinaryDataReader.read(lime, info.binary(), info.layout(), options.progress());
            IldgConfiguration conf = new IldgConfiguration(info, data.links(), data.checksum());
            if (options.verifyChecksum() && info.storedChecksum().isPresent()
                    && !info.storedChecksum().get().equals(data.checksum())) {
                throw new ChecksumMismatchException(file.toString(), info.storedChecksum().get(), data.checksum());
            }
            return conf;
        }
    }
}
