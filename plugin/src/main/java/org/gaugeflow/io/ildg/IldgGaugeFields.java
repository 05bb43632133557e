package org.gaugeflow.io.ildg;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;

/**
 * ILDG files to and from {@link GaugeField}s, through the one ILDG-order conversion
 * ({@link GaugeField#toIldgOrder} / {@link GaugeField#fromIldgOrder}).
 */
public final class IldgGaugeFields {

    private IldgGaugeFields() {
    }

    /** A field read from a file, with what the file said about it. */
    public record Loaded(GaugeField field, IldgConfiguration configuration) {
    }

    /** Writes configuration {@code b} of the batch. */
    public static ScidacChecksum write(Path target, GaugeField field, long b, IldgWriter.Options options)
            throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Tensor ildg = field.toIldgOrder(b);
            return IldgWriter.write(target, ildg, options);
        }
    }

    /** Reads a file into a batch of one field with the given precision and device. */
    public static Loaded read(Path file, IldgReader.Options readOptions, FieldOptions fieldOptions)
            throws IOException {
        IldgConfiguration conf = IldgReader.read(file, readOptions);
        IldgLayout layout = conf.info().layout();
        long[] ext = layout.extents();
        int[] extents = new int[ext.length];
        for (int mu = 0; mu < ext.length; mu++) {
            extents[mu] = Math.toIntExact(ext[mu]);
        }
        GaugeField field = GaugeField.fromIldgOrder(layout.field().group(), new Lattice(extents), conf.links(),
                fieldOptions);
        return new Loaded(field, conf);
    }
}
