package org.gaugeflow.io.nersc;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Tensors;

/**
 * NERSC files to and from {@link GaugeField}s (4D SU(3)): the entry points for commands. The links go
 * through the one ILDG-order conversion ({@link GaugeField#toIldgOrder} / {@link GaugeField#fromIldgOrder})
 * and the plain-Java {@link NerscReader} / {@link NerscWriter}; a field therefore holds at most
 * 2^31 - 1 reals on the way (about 29.8 million sites).
 */
public final class NerscFiles {

    private NerscFiles() {
    }

    /** A field read from a file (a batch of one), with what the file said and what was computed. */
    public record Loaded(GaugeField field, NerscConfiguration configuration) {
    }

    /** Reads and checks a file into a CPU complex128 field. */
    public static Loaded read(Path file) throws IOException {
        return read(file, NerscReader.Options.defaults(), FieldOptions.CPU_DOUBLE);
    }

    /** Reads a file into a batch of one field with the given precision and device. */
    public static Loaded read(Path file, NerscReader.Options readOptions, FieldOptions fieldOptions)
            throws IOException {
        NerscConfiguration conf = NerscReader.read(file, readOptions);
        return new Loaded(fromIldgArray(conf.links(), conf.extents(), fieldOptions), conf);
    }

    /** Writes a field that holds one configuration. */
    public static NerscHeader write(Path target, GaugeField field, NerscWriter.Options options) throws IOException {
        if (field.batch() != 1) {
            throw new IllegalArgumentException("field holds " + field.batch()
                    + " configurations: say which one to write (write(target, field, b, options))");
        }
        return write(target, field, 0, options);
    }

    /** Writes configuration {@code b} of the batch. */
    public static NerscHeader write(Path target, GaugeField field, long b, NerscWriter.Options options)
            throws IOException {
        return NerscWriter.write(target, toIldgArray(field, b), field.lattice().extents(), options);
    }

    /** Configuration {@code b} as an ILDG-ordered {@code double[]} {@code [t][z][y][x][mu][row][col][re,im]}. */
    public static double[] toIldgArray(GaugeField field, long b) {
        requireSu3In4d(field.group().n(), field.group() instanceof SUN, field.lattice().dims());
        long reals = field.lattice().volume() * NerscLayout.ILDG_REALS_PER_SITE;
        if (reals > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("lattice " + field.lattice() + " has " + reals
                    + " reals, more than a Java array holds");
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor ildg = field.toIldgOrder(b);
            return Tensors.toArray(torch.view_as_real(ildg));
        }
    }

    /** A batch of one SU(3) field from an ILDG-ordered {@code double[]} on a lattice of {@code extents} (L_x..L_t). */
    public static GaugeField fromIldgArray(double[] links, int[] extents, FieldOptions options) {
        Lattice lattice = new Lattice(extents);
        requireSu3In4d(3, true, lattice.dims());
        PointerScope outer = PointerScope.getInnerScope();
        try (PointerScope scope = new PointerScope()) {
            Tensor real = Tensors.fromArray(links, extents[3], extents[2], extents[1], extents[0], 4, 3, 3, 2);
            GaugeField f = GaugeField.fromIldgOrder(new SUN(3), lattice, torch.view_as_complex(real), options);
            // The temporaries go with this scope; the field's tensor moves to the caller's scope (or, when
            // there is none, to the garbage collector). attach() takes a reference, detach() drops one.
            if (outer != null) {
                outer.attach(f.links());
            } else {
                f.links().retainReference();
            }
            scope.detach(f.links());
            return f;
        }
    }

    private static void requireSu3In4d(int n, boolean special, int dims) {
        if (n != 3 || !special || dims != 4) {
            throw new IllegalArgumentException("NERSC files hold 4D SU(3) fields, got " + (special ? "SU(" + n + ")" : "U(1)")
                    + " in " + dims + "D");
        }
    }
}
