package org.gaugeflow.io.ildg;

import static org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.io.lime.LimeReader;
import org.gaugeflow.io.lime.LimeRecord;
import org.gaugeflow.tensor.Precision;

/**
 * Streams an {@code ildg-binary-data} record into a new tensor: chunks of whole sites are read
 * straight from the file into the tensor's off-heap memory, the SciDAC checksum is taken over the
 * bytes as stored, and then the reals are turned from big-endian to native order in place.
 * 64-bit data ends up as complex128 without any conversion; 32-bit data is read as complex64 and widened.
 */
final class BinaryDataReader {

    /** Bytes per chunk (rounded down to whole sites). */
    static final int CHUNK_BYTES = 4 << 20;

    private BinaryDataReader() {
    }

    record Result(Tensor links, ScidacChecksum checksum) {
    }

    /**
     * @param progress told the number of bytes read so far after each chunk (may be null)
     * @return the links in ILDG order, shape {@link IldgLayout#tensorShape()}, complex128, CPU
     */
    static Result read(LimeReader lime, LimeRecord record, IldgLayout layout, LongConsumer progress)
            throws IOException {
        if (record.dataLength() != layout.dataBytes()) {
            throw new IldgFormatException(lime.path() + ": ildg-binary-data holds " + record.dataLength()
                    + " bytes, " + layout + " needs " + layout.dataBytes());
        }
        int siteBytes = Math.toIntExact(layout.siteBytes());
        long sitesPerChunk = Math.max(1, CHUNK_BYTES / siteBytes);
        int realBytes = FilePrecision.bytes(layout.precision());
        ScalarType realType = layout.precision() == Precision.DOUBLE ? ScalarType.Double : ScalarType.Float;
        long[] shape = Arrays.copyOf(layout.tensorShape(), layout.tensorShape().length + 1);
        shape[shape.length - 1] = 2;

        PointerScope outer = PointerScope.getInnerScope();
        try (PointerScope scope = new PointerScope()) {
            Tensor real = torch.empty(shape, new TensorOptions(realType), new MemoryFormatOptional());
            Tensor flat = real.view(-1);
            long realsPerSite = layout.realsPerSite();
            ScidacChecksumAccumulator sum = new ScidacChecksumAccumulator();
            long volume = layout.volume();
            for (long site = 0; site < volume; site += sitesPerChunk) {
                long count = Math.min(sitesPerChunk, volume - site);
                long offset = site * siteBytes;
                ByteBuffer window = NativeBytes.window(flat, site * realsPerSite, count * realsPerSite);
                window.order(ByteOrder.BIG_ENDIAN);
                lime.read(record, offset, window);
                window.flip();
                sum.addSites(site, count, siteBytes, window);
                window.flip();
                NativeBytes.bigEndianToNativeInPlace(window, realBytes);
                if (progress != null) {
                    progress.accept(offset + count * siteBytes);
                }
            }
            Tensor widened = realType == ScalarType.Double ? real : real.to(ScalarType.Double);
            Tensor links = torch.view_as_complex(widened);
            return new Result(NativeBytes.keep(links, scope, outer), sum.result());
        }
    }
}
