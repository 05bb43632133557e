package org.gaugeflow.io.nersc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/** Links and independent file parsing for the NERSC tests. */
final class NerscTestFields {

    static final int[] L4 = {4, 4, 4, 4};

    private NerscTestFields() {
    }

    static Lattice lattice4() {
        return new Lattice(L4);
    }

    static int volume(int[] ext) {
        return ext[0] * ext[1] * ext[2] * ext[3];
    }

    /** The unit field in ILDG order, built without LibTorch. */
    static double[] unit(int[] ext) {
        double[] u = new double[volume(ext) * 72];
        for (int link = 0; link < u.length / 18; link++) {
            u[link * 18] = 1;
            u[link * 18 + 8] = 1;
            u[link * 18 + 16] = 1;
        }
        return u;
    }

    /** A Haar-random SU(3) field in ILDG order (made with LibTorch). */
    static double[] haar(int[] ext, long seed) {
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(seed, FieldOptions.CPU_DOUBLE)) {
            return NerscFiles.toIldgArray(GaugeField.haar(new SUN(3), new Lattice(ext), 1, rng), 0);
        }
    }

    /** Offset of the first data byte: after the first "END_HEADER\n", found by plain search. */
    static int dataStart(byte[] file) {
        byte[] end = "END_HEADER\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + end.length <= file.length; i++) {
            if (Arrays.equals(file, i, i + end.length, end, 0, end.length)) {
                return i + end.length;
            }
        }
        throw new AssertionError("no END_HEADER");
    }

    /** The header's text (BEGIN_HEADER ... END_HEADER\n). */
    static String headerText(byte[] file) {
        return new String(file, 0, dataStart(file), StandardCharsets.US_ASCII);
    }

    /** A header line's value, parsed by hand. */
    static String headerValue(byte[] file, String key) {
        for (String line : headerText(file).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
                return line.substring(eq + 1).strip();
            }
        }
        throw new AssertionError("no " + key);
    }

    /** The checksum as the format describes it: 32-bit words of the data in the given byte order, summed mod 2^32. */
    static int wordSum(byte[] file, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(file, dataStart(file), file.length - dataStart(file)).slice().order(order);
        long sum = 0;
        while (b.hasRemaining()) {
            sum += Integer.toUnsignedLong(b.getInt());
        }
        return (int) sum;
    }

    /** The same from the values: IEEE bit patterns of the stored reals (64-bit ones as high + low word). */
    static int valueSum(double[] storedReals, int bits) {
        long sum = 0;
        for (double v : storedReals) {
            if (bits == 32) {
                sum += Integer.toUnsignedLong(Float.floatToRawIntBits((float) v));
            } else {
                long b = Double.doubleToRawLongBits(v);
                sum += (b >>> 32) + (b & 0xffffffffL);
            }
        }
        return (int) sum;
    }

    /** The reals a file stores: per link the first {@code rows} rows. */
    static double[] storedReals(double[] links, int rows) {
        double[] out = new double[links.length / 18 * rows * 6];
        for (int l = 0; l < links.length / 18; l++) {
            System.arraycopy(links, l * 18, out, l * rows * 6, rows * 6);
        }
        return out;
    }

    /** A file with one header line replaced (by key), the data unchanged. */
    static byte[] withHeaderLine(byte[] file, String key, String newLine) {
        int start = dataStart(file);
        StringBuilder b = new StringBuilder();
        boolean found = false;
        for (String line : headerText(file).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
                found = true;
                if (newLine != null) {
                    b.append(newLine).append('\n');
                }
            } else {
                b.append(line).append('\n');
            }
        }
        if (!found) {
            throw new AssertionError("no " + key);
        }
        byte[] head = b.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + file.length - start);
        System.arraycopy(file, start, out, head.length, file.length - start);
        return out;
    }
}
