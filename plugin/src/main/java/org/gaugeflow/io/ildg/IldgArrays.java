package org.gaugeflow.io.ildg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Tensors;

/**
 * ILDG files to and from plain Java arrays, for pipelines that hold their gauge fields outside LibTorch: a
 * configuration is its extents, its number of colours and one {@code double[]} of links in ILDG order
 * [x_{d-1}]..[x_0][mu][row][col][re, im] (x_0 fastest among the sites, as in the file; docs/ildg.md). Reading
 * verifies the SciDAC checksum; writing goes through {@link IldgWriter} (atomic, with checksum and provenance).
 */
public final class IldgArrays {

    /**
     * One gauge configuration as plain data.
     *
     * @param extents L_0 (x) .. L_{d-1}
     * @param colors  N (1 for U(1))
     * @param links   d * V * N * N * 2 doubles in ILDG order
     */
    public record Configuration(long[] extents, int colors, double[] links) {
        public Configuration {
            extents = extents.clone();
            long v = 1;
            for (long l : extents) v *= l;
            long expected = v * extents.length * colors * colors * 2L;
            if (links.length != expected) {
                throw new IllegalArgumentException("links of length " + links.length + " for extents " + Arrays.toString(extents)
                        + " and N = " + colors + ": expected " + expected);
            }
        }

        /** The tensor shape in ILDG order [L_{d-1}..L_0, d, N, N, 2]. */
        long[] shape() {
            int d = extents.length;
            long[] s = new long[d + 4];
            for (int i = 0; i < d; i++) s[i] = extents[d - 1 - i];
            s[d] = d;
            s[d + 1] = colors;
            s[d + 2] = colors;
            s[d + 3] = 2;
            return s;
        }
    }

    private IldgArrays() {}

    /** Reads a file (checksum verified) into plain arrays. */
    public static Configuration read(Path file) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            IldgConfiguration conf = IldgReader.read(file);
            IldgLayout layout = conf.info().layout();
            double[] data = Tensors.toArray(torch.view_as_real(conf.links().contiguous()));
            return new Configuration(layout.extents(), layout.field().colors(), data);
        }
    }

    /** Configuration {@code b} of a batched field as plain arrays. */
    public static Configuration of(GaugeField field, long b) {
        try (PointerScope scope = new PointerScope()) {
            double[] data = Tensors.toArray(torch.view_as_real(field.toIldgOrder(b)));
            long[] ext = new long[field.lattice().dims()];
            for (int mu = 0; mu < ext.length; mu++) ext[mu] = field.lattice().extent(mu);
            return new Configuration(ext, field.group().n(), data);
        }
    }

    /** Writes a configuration with {@code precision} bits per real; returns the SciDAC checksum written. */
    public static ScidacChecksum write(Path file, Configuration c, Precision precision, Provenance provenance)
            throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Tensor links = torch.view_as_complex(Tensors.fromArray(c.links(), c.shape()));
            return IldgWriter.write(file, links, IldgWriter.Options.of(precision, provenance));
        }
    }
}
