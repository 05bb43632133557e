package org.gaugeflow.io.nersc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.gaugeflow.io.AtomicFileWriter;

/**
 * Writes 4D SU(3) links (ILDG-ordered {@code double[]}) as a NERSC file: header keys in Grid's order,
 * CHECKSUM, PLAQUETTE and LINK_TRACE computed here from the values as stored (rounded to 32 bits and
 * with rebuilt third rows where the format asks), then the binary data. The file appears under its
 * name only when complete ({@link AtomicFileWriter}). Non-finite links, and links further from SU(3)
 * than the reader accepts, are refused before anything is written.
 */
public final class NerscWriter {

    private static final Set<String> STANDARD_KEYS = Set.of("HDR_VERSION", "DATATYPE", "STORAGE_FORMAT",
            "DIMENSION_1", "DIMENSION_2", "DIMENSION_3", "DIMENSION_4", "LINK_TRACE", "PLAQUETTE", "BOUNDARY_1",
            "BOUNDARY_2", "BOUNDARY_3", "BOUNDARY_4", "CHECKSUM", "ENSEMBLE_ID", "ENSEMBLE_LABEL",
            "SEQUENCE_NUMBER", "CREATOR", "CREATOR_HARDWARE", "CREATION_DATE", "ARCHIVE_DATE", "FLOATING_POINT");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy 'UTC'",
            Locale.US).withZone(ZoneOffset.UTC);

    /**
     * @param dataType           {@code 4D_SU3_GAUGE} (two rows) or {@code 4D_SU3_GAUGE_3x3} (default)
     * @param floatingPoint      default {@code IEEE64BIG}
     * @param ensembleId         ENSEMBLE_ID
     * @param ensembleLabel      ENSEMBLE_LABEL
     * @param sequenceNumber     SEQUENCE_NUMBER (trajectory number)
     * @param creator            CREATOR (default: the user name)
     * @param creatorHardware    CREATOR_HARDWARE (default: host-arch-os-version)
     * @param creationDate       CREATION_DATE and ARCHIVE_DATE; null for the time of writing
     * @param extraKeys          more keys, written before FLOATING_POINT (must not be standard keys)
     * @param unitarityTolerance links further from SU(3) than this are refused (default 1e-5, the
     *                           reader's default); +infinity turns the check off
     * @param progress           told bytes of data written so far after each chunk (may be null)
     */
    public record Options(NerscDataType dataType, NerscFloatingPoint floatingPoint, String ensembleId,
            String ensembleLabel, long sequenceNumber, String creator, String creatorHardware, Instant creationDate,
            Map<String, String> extraKeys, double unitarityTolerance, LongConsumer progress) {

        public Options {
            if (dataType == null || floatingPoint == null) {
                throw new IllegalArgumentException("NERSC writer needs a DATATYPE and a FLOATING_POINT");
            }
            extraKeys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraKeys == null ? Map.of() : extraKeys));
            for (String k : extraKeys.keySet()) {
                if (STANDARD_KEYS.contains(k)) {
                    throw new IllegalArgumentException("extra NERSC header key " + k + " is a standard key the writer sets");
                }
            }
            if (!(unitarityTolerance >= 0)) {
                throw new IllegalArgumentException("unitarity tolerance " + unitarityTolerance + ": expected >= 0");
            }
        }

        /** 4D_SU3_GAUGE_3x3, IEEE64BIG, ensemble "gaugeflow", sequence number 0. */
        public static Options defaults() {
            return new Options(NerscDataType.SU3_GAUGE_3X3, NerscFloatingPoint.IEEE64BIG, "gaugeflow", "gaugeflow", 0,
                    System.getProperty("user.name", "unknown"), defaultHardware(), null, Map.of(),
                    NerscReader.Options.DEFAULT_UNITARITY_TOLERANCE, null);
        }

        public Options withDataType(NerscDataType t) {
            return new Options(t, floatingPoint, ensembleId, ensembleLabel, sequenceNumber, creator, creatorHardware,
                    creationDate, extraKeys, unitarityTolerance, progress);
        }

        public Options withFloatingPoint(NerscFloatingPoint f) {
            return new Options(dataType, f, ensembleId, ensembleLabel, sequenceNumber, creator, creatorHardware,
                    creationDate, extraKeys, unitarityTolerance, progress);
        }

        /** 32 or 64 bits, big-endian. */
        public Options withBits(int bits) {
            if (bits != 32 && bits != 64) {
                throw new IllegalArgumentException("NERSC precision must be 32 or 64 bits, got " + bits);
            }
            return withFloatingPoint(bits == 64 ? NerscFloatingPoint.IEEE64BIG : NerscFloatingPoint.IEEE32BIG);
        }

        public Options withEnsemble(String id, String label) {
            return new Options(dataType, floatingPoint, id, label, sequenceNumber, creator, creatorHardware,
                    creationDate, extraKeys, unitarityTolerance, progress);
        }

        public Options withSequenceNumber(long n) {
            return new Options(dataType, floatingPoint, ensembleId, ensembleLabel, n, creator, creatorHardware,
                    creationDate, extraKeys, unitarityTolerance, progress);
        }

        public Options withCreator(String who, String hardware) {
            return new Options(dataType, floatingPoint, ensembleId, ensembleLabel, sequenceNumber, who, hardware,
                    creationDate, extraKeys, unitarityTolerance, progress);
        }

        public Options withCreationDate(Instant when) {
            return new Options(dataType, floatingPoint, ensembleId, ensembleLabel, sequenceNumber, creator,
                    creatorHardware, when, extraKeys, unitarityTolerance, progress);
        }

        /** Adds a key of the caller's own (e.g. {@code GAUGEFLOW_ORIGIN}). */
        public Options withExtraKey(String key, String value) {
            Map<String, String> m = new LinkedHashMap<>(extraKeys);
            m.put(key, value);
            return new Options(dataType, floatingPoint, ensembleId, ensembleLabel, sequenceNumber, creator,
                    creatorHardware, creationDate, m, unitarityTolerance, progress);
        }

        public Options withUnitarityTolerance(double t) {
            return new Options(dataType, floatingPoint, ensembleId, ensembleLabel, sequenceNumber, creator,
                    creatorHardware, creationDate, extraKeys, t, progress);
        }

        public Options withProgress(LongConsumer p) {
            return new Options(dataType, floatingPoint, ensembleId, ensembleLabel, sequenceNumber, creator,
                    creatorHardware, creationDate, extraKeys, unitarityTolerance, p);
        }

        private static String defaultHardware() {
            String host = System.getenv("HOSTNAME");
            return (host == null || host.isBlank() ? "unknown" : host) + "-" + System.getProperty("os.arch") + "-"
                    + System.getProperty("os.name") + "-" + System.getProperty("os.version");
        }
    }

    private NerscWriter() {
    }

    /**
     * Writes {@code links} (ILDG order, full 3x3) on a lattice of {@code extents} (L_x, L_y, L_z, L_t).
     *
     * @return the header written
     * @throws IllegalArgumentException for links of the wrong length, non-finite or not SU(3)
     */
    public static NerscHeader write(Path target, double[] links, int[] extents, Options options) throws IOException {
        NerscLayout layout = layoutOf(links, extents, options);
        NerscHeader header = header(target.getFileName().toString(), links, layout, options);
        byte[] head = header.format();
        AtomicFileWriter.write(target, channel -> {
            writeFully(channel, ByteBuffer.wrap(head));
            encodeChunks(links, layout, chunk -> writeFully(channel, chunk), options.progress());
        });
        return header;
    }

    /** The whole file (header and data) in memory, as {@link #write} would write it. */
    public static byte[] toBytes(double[] links, int[] extents, Options options) {
        NerscLayout layout = layoutOf(links, extents, options);
        byte[] head = header("(in memory)", links, layout, options).format();
        long total = head.length + layout.dataBytes();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a NERSC file of " + total + " bytes does not fit a byte array");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(head);
        try {
            encodeChunks(links, layout, out::put, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.array();
    }

    /** The header {@link #write} would write: CHECKSUM, PLAQUETTE and LINK_TRACE computed from {@code links}. */
    public static NerscHeader header(double[] links, int[] extents, Options options) {
        return header("(in memory)", links, layoutOf(links, extents, options), options);
    }

    private static NerscLayout layoutOf(double[] links, int[] extents, Options options) {
        NerscLayout layout = new NerscLayout(extents, options.dataType(), options.floatingPoint());
        if (links.length != layout.ildgLength()) {
            throw new IllegalArgumentException("links of length " + links.length + " for lattice "
                    + NerscLayout.describe(extents) + ": expected " + layout.ildgLength() + " reals in ILDG order");
        }
        int bad = NerscBinaryCodec.firstNonFinite(links);
        if (bad >= 0) {
            throw new IllegalArgumentException("link " + NerscBinaryCodec.describeIndex(bad, extents) + " is "
                    + links[bad] + ": refusing to write non-finite links");
        }
        LinkStatistics.Deviation dev = LinkStatistics.deviation(links);
        double tol = options.unitarityTolerance();
        if (dev.maxUnitarity() > tol || dev.maxDet() > tol) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "links are not SU(3): max |U U^dagger - 1| = %.3g, max |det U - 1| = %.3g, allowed %.3g "
                            + "(a reader would refuse the file)", dev.maxUnitarity(), dev.maxDet(), tol));
        }
        return layout;
    }

    private static NerscHeader header(String source, double[] links, NerscLayout layout, Options o) {
        double[] stored = NerscBinaryCodec.asStored(links, layout);
        int[] ext = layout.extents();
        NerscChecksum sum = new NerscChecksum();
        try {
            encodeChunks(links, layout, sum::add, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String date = DATE.format(o.creationDate() != null ? o.creationDate() : Instant.now());
        Map<String, String> m = new LinkedHashMap<>();
        m.put("HDR_VERSION", "1.0");
        m.put("DATATYPE", layout.dataType().headerName());
        m.put("STORAGE_FORMAT", "1.0");
        for (int mu = 0; mu < 4; mu++) {
            m.put("DIMENSION_" + (mu + 1), Integer.toString(ext[mu]));
        }
        m.put("LINK_TRACE", decimal(LinkStatistics.linkTrace(stored, ext)));
        m.put("PLAQUETTE", decimal(LinkStatistics.plaquette(stored, ext)));
        for (int mu = 0; mu < 4; mu++) {
            m.put("BOUNDARY_" + (mu + 1), "PERIODIC");
        }
        m.put("CHECKSUM", NerscChecksum.format(sum.value(layout.floatingPoint().order())));
        m.put("ENSEMBLE_ID", ascii(o.ensembleId()));
        m.put("ENSEMBLE_LABEL", ascii(o.ensembleLabel()));
        m.put("SEQUENCE_NUMBER", Long.toString(o.sequenceNumber()));
        m.put("CREATOR", ascii(o.creator()));
        m.put("CREATOR_HARDWARE", ascii(o.creatorHardware()));
        m.put("CREATION_DATE", date);
        m.put("ARCHIVE_DATE", date);
        m.putAll(o.extraKeys());
        m.put("FLOATING_POINT", layout.floatingPoint().headerName());
        return NerscHeader.of(source, m);
    }

    /** Takes a chunk of encoded data (the buffer's remaining bytes). */
    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    private static void encodeChunks(double[] links, NerscLayout layout, ChunkSink sink, LongConsumer progress)
            throws IOException {
        int siteBytes = layout.siteBytes();
        int volume = Math.toIntExact(layout.volume());
        int sitesPerChunk = Math.max(1, Math.min(volume, NerscReader.CHUNK_BYTES / siteBytes));
        ByteBuffer buf = ByteBuffer.allocate(sitesPerChunk * siteBytes);
        long written = 0;
        for (int site = 0; site < volume; site += sitesPerChunk) {
            int count = Math.min(sitesPerChunk, volume - site);
            buf.clear();
            NerscBinaryCodec.encode(links, layout, site, count, buf);
            buf.flip();
            sink.accept(buf);
            written += (long) count * siteBytes;
            if (progress != null) {
                progress.accept(written);
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    /**
     * The shortest decimal that reads back as exactly {@code v} ({@link Double#toString}), written without
     * an exponent unless |v| < 1e-10: {@code 0.5881234567890123}, {@code 0.00039988964953598647}, {@code 1.0}.
     */
    static String decimal(double v) {
        String s = Double.toString(v);
        return v != 0 && Math.abs(v) < 1e-10 ? s : new java.math.BigDecimal(s).toPlainString();
    }

    /** Printable ASCII on one line: other characters become {@code ?}, null becomes empty. */
    private static String ascii(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString().strip();
    }
}
