package org.gaugeflow.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.io.ildg.IldgArrays;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.io.nersc.NerscConfiguration;
import org.gaugeflow.io.nersc.NerscDataType;
import org.gaugeflow.io.nersc.NerscHeader;
import org.gaugeflow.io.nersc.NerscReader;
import org.gaugeflow.io.nersc.NerscWriter;
import org.gaugeflow.tensor.Precision;

/**
 * Converts gauge configurations between the two exchange formats gaugeflow reads and writes (docs/ildg.md): ILDG
 * (LIME records, SciDAC checksum) and NERSC (ASCII header with checksum, plaquette and link trace, 4D SU(3) only).
 * The input's format is recognized from its first bytes; every check of the reader runs (a file that fails one is
 * refused), and the output is written atomically with its own checks computed afresh.
 */
public final class GaugeFileConversion {

    /** The two formats. */
    public enum Format {
        ILDG, NERSC;

        /** "ildg" or "nersc". */
        public static Format parse(String s) {
            switch (s == null ? "" : s.trim().toLowerCase()) {
                case "ildg": case "lime": return ILDG;
                case "nersc": return NERSC;
                default: throw new IllegalArgumentException("format '" + s + "': expected ildg or nersc");
            }
        }
    }

    /**
     * What to write.
     *
     * @param format    the output format
     * @param precision 32 or 64 bits per real (null: as the input)
     * @param twoRows   NERSC only: store two rows per link (4D_SU3_GAUGE) instead of the full matrix
     */
    public record Options(Format format, Precision precision, boolean twoRows) {}

    private static final int LIME_MAGIC = 0x456789ab;

    private GaugeFileConversion() {}

    /** The format of a file from its first bytes; a one-line error when it is neither. */
    public static Format detect(Path file) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && ((head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff)) == LIME_MAGIC) {
            return Format.ILDG;
        }
        if (new String(head, 0, n, StandardCharsets.US_ASCII).startsWith("BEGIN_HEADER")) return Format.NERSC;
        throw new IllegalArgumentException("file " + file + ": neither ILDG (LIME magic 456789ab) nor NERSC (BEGIN_HEADER); expected a gauge configuration");
    }

    /** Reads {@code in} (any of the two formats), writes {@code out} in {@code options.format()}; returns a one-line report. */
    public static String convert(Path in, Path out, Options options) throws IOException {
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("OUT " + out + " is IN; write to another file");
        }
        Format from = detect(in);
        long[] extents;
        int colors;
        double[] links;
        Precision inputPrecision;
        Provenance provenance;
        if (from == Format.ILDG) {
            IldgArrays.Configuration c = IldgArrays.read(in);
            extents = c.extents();
            colors = c.colors();
            links = c.links();
            var info = IldgReader.inspect(in, java.util.Optional.empty());
            inputPrecision = info.layout().precision();
            Provenance src = info.provenance().orElse(null);
            provenance = src != null
                    ? new Provenance(GaugeflowVersion.describe(), src.action(), src.beta(), src.origin(), src.step(), src.modelChecksum())
                    : new Provenance(GaugeflowVersion.describe(), null, null, "convert:" + in.getFileName(), null, null);
        } else {
            NerscConfiguration c = NerscReader.read(in);
            int[] e = c.extents();
            extents = Arrays.stream(e).asLongStream().toArray();
            colors = 3;
            links = c.links();
            inputPrecision = c.layout().floatingPoint().bytes() == 4 ? Precision.FLOAT : Precision.DOUBLE;
            NerscHeader h = c.header();
            Long step = h.get("SEQUENCE_NUMBER").map(v -> {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException ex) {
                    return null;
                }
            }).orElse(null);
            provenance = new Provenance(GaugeflowVersion.describe(), null, null, "convert:" + in.getFileName() + " (NERSC)", step, null);
        }
        Precision p = options.precision() != null ? options.precision() : inputPrecision;
        if (options.format() == Format.ILDG) {
            var sum = IldgArrays.write(out, new IldgArrays.Configuration(extents, colors, links), p, provenance);
            return "wrote " + out + " (ILDG, " + describe(extents) + ", N = " + colors + ", " + p.label() + ", checksum " + sum + ")";
        }
        if (colors != 3 || extents.length != 4) {
            throw new IllegalArgumentException("NERSC files hold 4D SU(3) configurations; " + in + " holds d = " + extents.length
                    + ", N = " + colors);
        }
        int[] e = Arrays.stream(extents).mapToInt(Math::toIntExact).toArray();
        NerscWriter.Options o = NerscWriter.Options.defaults()
                .withDataType(options.twoRows() ? NerscDataType.SU3_GAUGE : NerscDataType.SU3_GAUGE_3X3)
                .withBits(p == Precision.FLOAT ? 32 : 64);
        if (provenance.step() != null) o = o.withSequenceNumber(provenance.step());
        NerscHeader h = NerscWriter.write(out, links, e, o);
        return "wrote " + out + " (NERSC " + (options.twoRows() ? "4D_SU3_GAUGE" : "4D_SU3_GAUGE_3x3") + ", " + describe(extents)
                + ", " + p.label() + ", checksum " + Long.toHexString(h.checksum()) + ")";
    }

    private static String describe(long[] extents) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < extents.length; i++) b.append(i == 0 ? "" : "x").append(extents[i]);
        return b.toString();
    }
}
