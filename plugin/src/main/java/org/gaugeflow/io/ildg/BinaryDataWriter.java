package org.gaugeflow.io.ildg;

import static org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.io.lime.LimeWriter;
import org.gaugeflow.tensor.Precision;

/**
 * Streams a tensor in ILDG order into an {@code ildg-binary-data} record: the tensor is brought to a
 * contiguous CPU complex tensor of the file's precision, and chunks of whole sites go from its
 * off-heap memory through one direct staging buffer (byte order swapped to big-endian, SciDAC
 * checksum taken) to the file.
 */
final class BinaryDataWriter {

    private BinaryDataWriter() {
    }

    /**
     * @param links    shape {@link IldgLayout#tensorShape()}, complex (any precision, any device)
     * @param progress told the number of bytes written so far after each chunk (may be null)
     */
    static ScidacChecksum write(LimeWriter.RecordOutput out, Tensor links, IldgLayout layout, LongConsumer progress)
            throws IOException {
        long[] shape = links.sizes().vec().get();
        if (!Arrays.equals(shape, layout.tensorShape())) {
            throw new IllegalArgumentException("links have shape " + Arrays.toString(shape) + ", ILDG order of "
                    + layout + " is " + Arrays.toString(layout.tensorShape()));
        }
        if (out.remaining() != layout.dataBytes()) {
            throw new IllegalStateException("binary record has room for " + out.remaining() + " bytes, layout needs "
                    + layout.dataBytes());
        }
        int siteBytes = Math.toIntExact(layout.siteBytes());
        long sitesPerChunk = Math.max(1, BinaryDataReader.CHUNK_BYTES / siteBytes);
        int realBytes = FilePrecision.bytes(layout.precision());
        ScalarType complexType = layout.precision() == Precision.DOUBLE ? ScalarType.ComplexDouble
                : ScalarType.ComplexFloat;
        try (PointerScope scope = new PointerScope()) {
            Tensor host = links.to(new Device("cpu"), complexType).contiguous().resolve_conj().resolve_neg();
            Tensor real = torch.view_as_real(host).contiguous();
            Tensor flat = real.view(-1);
            long realsPerSite = layout.realsPerSite();
            ByteBuffer staging = ByteBuffer.allocateDirect((int) (sitesPerChunk * siteBytes)).order(ByteOrder.BIG_ENDIAN);
            ScidacChecksumAccumulator sum = new ScidacChecksumAccumulator();
            long volume = layout.volume();
            for (long site = 0; site < volume; site += sitesPerChunk) {
                long count = Math.min(sitesPerChunk, volume - site);
                long offset = site * siteBytes;
                int bytes = (int) (count * siteBytes);
                ByteBuffer window = NativeBytes.window(flat, site * realsPerSite, count * realsPerSite);
                staging.clear().limit(bytes);
                NativeBytes.nativeToBigEndian(window, staging, realBytes);
                staging.flip();
                sum.addSites(site, count, siteBytes, staging);
                staging.flip();
                out.write(staging);
                if (progress != null) {
                    progress.accept(offset + bytes);
                }
            }
            return sum.result();
        }
    }
}
