package org.gaugeflow.io.nersc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Reads 4D SU(3) NERSC gauge files ({@code 4D_SU3_GAUGE}, {@code 4D_SU3_GAUGE_3x3}; 32/64-bit, either
 * byte order) into ILDG-ordered {@code double[]} links, from a file or from bytes in memory, without
 * LibTorch. A file is refused with a one-line {@link NerscFormatException} when its header is
 * malformed or its size does not fit the header, and with a {@link NerscCheckException} when its data
 * fails a check, in this order: CHECKSUM (exact, low 32 bits), unitarity of the links (third rows
 * rebuilt), PLAQUETTE, LINK_TRACE (each within the statistics tolerance).
 */
public final class NerscReader {

    /** Bytes of data read per chunk (rounded down to whole sites). */
    static final int CHUNK_BYTES = 4 << 20;

    /**
     * @param verifyChecksum      compare CHECKSUM with the data (exact on the low 32 bits)
     * @param verifyPlaquette     compare PLAQUETTE with the links
     * @param verifyLinkTrace     compare LINK_TRACE with the links
     * @param statisticsTolerance plaquette and link trace may differ from the header by this times
     *                            max(1, |header value|); default 1e-6 (every known writer prints at
     *                            least 6 significant digits)
     * @param unitarityTolerance  largest |(U U^dagger - 1)_ij| and |det U - 1| allowed; default 1e-5
     *                            (catches misread data, whose links are O(1) off, and accepts links
     *                            stored from single-precision fields); +infinity turns the check off
     */
    public record Options(boolean verifyChecksum, boolean verifyPlaquette, boolean verifyLinkTrace,
            double statisticsTolerance, double unitarityTolerance) {

        public static final double DEFAULT_STATISTICS_TOLERANCE = 1e-6;
        public static final double DEFAULT_UNITARITY_TOLERANCE = 1e-5;

        public Options {
            if (!(statisticsTolerance >= 0) || !(unitarityTolerance >= 0)) {
                throw new IllegalArgumentException("tolerances must be >= 0, got " + statisticsTolerance + " and "
                        + unitarityTolerance);
            }
        }

        /** Every check on, default tolerances. */
        public static Options defaults() {
            return new Options(true, true, true, DEFAULT_STATISTICS_TOLERANCE, DEFAULT_UNITARITY_TOLERANCE);
        }

        /** No header comparison and no unitarity check: the data is read as the header describes it. */
        public static Options unchecked() {
            return new Options(false, false, false, DEFAULT_STATISTICS_TOLERANCE, Double.POSITIVE_INFINITY);
        }

        public Options withVerifyChecksum(boolean v) {
            return new Options(v, verifyPlaquette, verifyLinkTrace, statisticsTolerance, unitarityTolerance);
        }

        public Options withVerifyPlaquette(boolean v) {
            return new Options(verifyChecksum, v, verifyLinkTrace, statisticsTolerance, unitarityTolerance);
        }

        public Options withVerifyLinkTrace(boolean v) {
            return new Options(verifyChecksum, verifyPlaquette, v, statisticsTolerance, unitarityTolerance);
        }

        public Options withStatisticsTolerance(double t) {
            return new Options(verifyChecksum, verifyPlaquette, verifyLinkTrace, t, unitarityTolerance);
        }

        public Options withUnitarityTolerance(double t) {
            return new Options(verifyChecksum, verifyPlaquette, verifyLinkTrace, statisticsTolerance, t);
        }
    }

    /** Reads byte ranges of the data: from a file channel or from a buffer in memory. */
    @FunctionalInterface
    private interface DataSource {
        /** Fills {@code into} (position to limit) from data offset {@code offset}. */
        void read(long offset, ByteBuffer into) throws IOException;
    }

    private NerscReader() {
    }

    public static NerscConfiguration read(Path file) throws IOException {
        return read(file, Options.defaults());
    }

    /** Reads and checks a file; its data is streamed in chunks of whole sites. */
    public static NerscConfiguration read(Path file, Options options) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            NerscHeader header = readHeader(source, ch, size);
            long dataStart = header.byteLength();
            return read(source, header, size, (offset, into) -> readFully(ch, dataStart + offset, into, source),
                    options);
        }
    }

    /** The header alone; the data is not read. */
    public static NerscHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file.toString(), ch, ch.size());
        }
    }

    /** Reads and checks a whole file held in memory. */
    public static NerscConfiguration read(String source, byte[] file, Options options) throws IOException {
        return read(source, ByteBuffer.wrap(file), options);
    }

    /**
     * Reads and checks a whole file held in a buffer (from its position to its limit; the buffer's
     * position is not changed).
     *
     * @param source what error messages call the file
     */
    public static NerscConfiguration read(String source, ByteBuffer file, Options options) throws IOException {
        ByteBuffer whole = file.slice();
        NerscHeader header = NerscHeader.parse(source, whole);
        int dataStart = header.byteLength();
        return read(source, header, whole.limit(), (offset, into) -> {
            ByteBuffer src = whole.duplicate();
            src.position((int) (dataStart + offset)).limit((int) (dataStart + offset) + into.remaining());
            into.put(src);
        }, options);
    }

    /** The links alone (ILDG order), every check on. */
    public static double[] readLinks(Path file) throws IOException {
        return read(file).links();
    }

    private static NerscHeader readHeader(String source, FileChannel ch, long size) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, NerscHeader.MAX_BYTES));
        readFully(ch, 0, head, source);
        head.flip();
        return NerscHeader.parse(source, head);
    }

    private static NerscConfiguration read(String source, NerscHeader header, long fileSize, DataSource data,
            Options options) throws IOException {
        NerscDataType type = header.dataType();
        int[] extents = header.dimensions();
        List<NerscFloatingPoint> formats = header.floatingPoint();
        NerscLayout layout = new NerscLayout(extents, type, formats.get(0));
        long expected;
        try {
            expected = Math.addExact(header.byteLength(), layout.dataBytes());
        } catch (ArithmeticException e) {
            throw new NerscFormatException(source + ": lattice " + NerscLayout.describe(extents)
                    + " is too large (its data size overflows 64 bits)");
        }
        if (fileSize != expected) {
            String why = fileSize < expected ? "truncated" : (fileSize - expected) + " bytes after the data";
            throw new NerscFormatException(source + ": file has " + fileSize + " bytes, expected " + expected
                    + " (header " + header.byteLength() + " + data " + layout.dataBytes() + " for " + layout + "; "
                    + why + ")");
        }
        long headerSum = options.verifyChecksum() ? header.checksum() : 0;
        int length;
        try {
            length = layout.ildgLength();
        } catch (IllegalArgumentException e) {
            throw new NerscFormatException(source + ": " + e.getMessage());
        }
        double[] links = new double[length];
        NerscChecksum sum = decode(data, layout, links);
        if (formats.size() > 1) {
            // FLOATING_POINT = IEEE32/IEEE64 does not name the byte order: the checksum (or, when it is
            // not verified, unitarity) says which one the writer used.
            NerscLayout other = layout.withFloatingPoint(formats.get(1));
            if (options.verifyChecksum()) {
                if (!NerscChecksum.matches(headerSum, sum.value(layout.floatingPoint().order()))
                        && NerscChecksum.matches(headerSum, sum.value(other.floatingPoint().order()))) {
                    layout = other;
                    decode(data, layout, links);
                }
            } else {
                double first = LinkStatistics.deviation(links).maxUnitarity();
                if (!(first <= Options.DEFAULT_UNITARITY_TOLERANCE)) {
                    decode(data, other, links);
                    if (LinkStatistics.deviation(links).maxUnitarity() < first) {
                        layout = other;
                    } else {
                        decode(data, layout, links);
                    }
                }
            }
        }
        NerscChecks computed = verify(source, header, layout, links, sum, options);
        return new NerscConfiguration(source, header, layout, links, computed);
    }

    private static NerscChecksum decode(DataSource data, NerscLayout layout, double[] links) throws IOException {
        int siteBytes = layout.siteBytes();
        int volume = Math.toIntExact(layout.volume());
        int sitesPerChunk = Math.max(1, Math.min(volume, CHUNK_BYTES / siteBytes));
        ByteBuffer buf = ByteBuffer.allocate(sitesPerChunk * siteBytes);
        NerscChecksum sum = new NerscChecksum();
        for (int site = 0; site < volume; site += sitesPerChunk) {
            int count = Math.min(sitesPerChunk, volume - site);
            buf.clear().limit(count * siteBytes);
            data.read((long) site * siteBytes, buf);
            buf.flip();
            sum.add(buf.duplicate());
            NerscBinaryCodec.decode(buf, layout, links, site, count);
        }
        return sum;
    }

    private static NerscChecks verify(String source, NerscHeader header, NerscLayout layout, double[] links,
            NerscChecksum sum, Options options) throws NerscFormatException {
        ByteOrder order = layout.floatingPoint().order();
        int checksum = sum.value(order);
        if (options.verifyChecksum()) {
            long stored = header.checksum();
            if (!NerscChecksum.matches(stored, checksum)) {
                ByteOrder other = order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN
                        : ByteOrder.BIG_ENDIAN;
                String hint = NerscChecksum.matches(stored, sum.value(other))
                        ? "; the words in " + (other == ByteOrder.BIG_ENDIAN ? "big" : "little")
                                + "-endian order match: FLOATING_POINT names the wrong byte order"
                        : "";
                throw new NerscCheckException(source, "CHECKSUM", NerscChecksum.format(checksum),
                        header.get("CHECKSUM").orElse(""), "sum of the data's 32-bit words, " + layout + hint);
            }
        }
        int bad = NerscBinaryCodec.firstNonFinite(links);
        if (bad >= 0) {
            throw new NerscFormatException(source + ": link " + NerscBinaryCodec.describeIndex(bad, layout.extents())
                    + " is " + links[bad] + ", expected a finite number");
        }
        LinkStatistics.Deviation dev = LinkStatistics.deviation(links);
        double tol = options.unitarityTolerance();
        if (dev.maxUnitarity() > tol || dev.maxDet() > tol) {
            boolean unit = dev.maxUnitarity() > tol;
            throw new NerscCheckException(source, "unitarity",
                    (unit ? "max |U U^dagger - 1| = " : "max |det U - 1| = ") + fmt(unit ? dev.maxUnitarity() : dev.maxDet()),
                    fmt(tol), "links are not SU(3); " + layout.dataType().headerName()
                            + (layout.dataType().storedRows() == 2 ? ", third row rebuilt" : ""));
        }
        int[] ext = layout.extents();
        double plaq = LinkStatistics.plaquette(links, ext);
        double trace = LinkStatistics.linkTrace(links, ext);
        if (options.verifyPlaquette()) {
            compare(source, header, "PLAQUETTE", plaq, options.statisticsTolerance());
        }
        if (options.verifyLinkTrace()) {
            compare(source, header, "LINK_TRACE", trace, options.statisticsTolerance());
        }
        return new NerscChecks(checksum, plaq, trace, dev);
    }

    private static void compare(String source, NerscHeader header, String key, double computed, double tolerance)
            throws NerscFormatException {
        double stored = header.doubleValue(key);
        double allowed = tolerance * Math.max(1, Math.abs(stored));
        if (!(Math.abs(computed - stored) <= allowed)) {
            throw new NerscCheckException(source, key, String.format(Locale.ROOT, "%.10g", computed),
                    header.get(key).orElse(""), "difference " + fmt(Math.abs(computed - stored)) + ", allowed " + fmt(allowed));
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static void readFully(FileChannel ch, long position, ByteBuffer into, String source) throws IOException {
        long p = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, p);
            if (n < 0) {
                throw new EOFException(source + ": file ends at byte " + p + " (it shrank while being read)");
            }
            p += n;
        }
    }
}
