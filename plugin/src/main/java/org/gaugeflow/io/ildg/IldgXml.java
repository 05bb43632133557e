package org.gaugeflow.io.ildg;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.gaugeflow.tensor.Precision;

/**
 * The XML of the ILDG and SciDAC metadata records, written as QIO writes it and read tolerantly.
 * For layouts outside ILDG proper (see {@link IldgLayout#isIldgStandard()}) the same elements carry
 * the gaugeflow extension: {@code <field>} is {@code su2gauge} or {@code u1gauge}, and d = 2, 3
 * lattices list only {@code lx, ly[, lz]}; {@code scidac-private-file-xml} gives d and all extents.
 */
public final class IldgXml {

    static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final String[] EXTENT_NAMES = {"lx", "ly", "lz", "lt"};
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private IldgXml() {
    }

    /** Largest d with ILDG-style lx..lt names. */
    public static int maxDims() {
        return EXTENT_NAMES.length;
    }

    // ---- ildg-format ----

    public static String ildgFormat(IldgLayout layout) {
        StringBuilder b = new StringBuilder(PROLOG).append('\n');
        b.append("<ildgFormat xmlns=\"http://www.lqcd.org/ildg\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:schemaLocation=\"http://www.lqcd.org/ildg http://www.lqcd.org/ildg/filefmt.xsd\">");
        b.append(XmlText.tag("version", "1.0"));
        b.append(XmlText.tag("field", layout.field().ildgName()));
        b.append(XmlText.tag("precision", FilePrecision.bits(layout.precision())));
        for (int mu = 0; mu < layout.dims(); mu++) {
            b.append(XmlText.tag(EXTENT_NAMES[mu], layout.extent(mu)));
        }
        return b.append("</ildgFormat>").toString();
    }

    /** What an {@code ildg-format} record says; each part may be missing in a damaged file. */
    public record FormatInfo(Optional<FieldType> field, Optional<Precision> precision, Optional<long[]> extents) {
    }

    public static FormatInfo parseIldgFormat(String xml, String where) throws IldgFormatException {
        Optional<FieldType> field = Optional.empty();
        Optional<String> f = XmlText.element(xml, "field");
        if (f.isPresent()) {
            try {
                field = Optional.of(FieldType.parse(f.get()));
            } catch (IllegalArgumentException e) {
                throw new IldgFormatException(where + ": " + e.getMessage());
            }
        }
        Optional<Precision> precision = Optional.empty();
        Optional<Long> bits = XmlText.longElement(xml, "precision", where);
        if (bits.isPresent()) {
            if (bits.get() != 32 && bits.get() != 64) {
                throw new IldgFormatException(where + ": <precision> is " + bits.get() + ", expected 32 or 64");
            }
            precision = Optional.of(FilePrecision.ofBits(bits.get()));
        }
        List<Long> ext = new ArrayList<>();
        for (String name : EXTENT_NAMES) {
            Optional<Long> l = XmlText.longElement(xml, name, where);
            if (l.isEmpty()) {
                break;
            }
            if (l.get() < 1) {
                throw new IldgFormatException(where + ": <" + name + "> is " + l.get() + ", expected >= 1");
            }
            ext.add(l.get());
        }
        Optional<long[]> extents = ext.size() >= 2
                ? Optional.of(ext.stream().mapToLong(Long::longValue).toArray()) : Optional.empty();
        return new FormatInfo(field, precision, extents);
    }

    // ---- scidac-private-file-xml ----

    public static String scidacPrivateFile(IldgLayout layout) {
        StringBuilder dims = new StringBuilder();
        for (long l : layout.extents()) {
            dims.append(l).append(' ');
        }
        return PROLOG + "<scidacFile>" + XmlText.tag("version", "1.1") + XmlText.tag("spacetime", layout.dims())
                + XmlText.tag("dims", dims) + XmlText.tag("volfmt", 0) + "</scidacFile>";
    }

    /** The extents listed in {@code <dims>}, checked against {@code <spacetime>} when both are there. */
    public static Optional<long[]> parseScidacPrivateFile(String xml, String where) throws IldgFormatException {
        Optional<String> dims = XmlText.element(xml, "dims");
        if (dims.isEmpty() || dims.get().isBlank()) {
            return Optional.empty();
        }
        String[] parts = dims.get().strip().split("\\s+");
        long[] ext = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ext[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IldgFormatException(where + ": <dims> is '" + dims.get() + "', expected integers");
            }
            if (ext[i] < 1) {
                throw new IldgFormatException(where + ": <dims> is '" + dims.get() + "', expected extents >= 1");
            }
        }
        Optional<Long> d = XmlText.longElement(xml, "spacetime", where);
        if (d.isPresent() && d.get() != ext.length) {
            throw new IldgFormatException(where + ": <spacetime> is " + d.get() + " but <dims> lists "
                    + ext.length + " extents");
        }
        return ext.length >= 2 ? Optional.of(ext) : Optional.empty();
    }

    // ---- scidac-private-record-xml ----

    public static String scidacPrivateRecord(IldgLayout layout, Instant date) {
        int n = layout.field().colors();
        String p = FilePrecision.qioLetter(layout.precision());
        long typesize = 2L * n * n * FilePrecision.bytes(layout.precision());
        return PROLOG + "<scidacRecord>" + XmlText.tag("version", "1.1") + XmlText.tag("date", DATE.format(date))
                + XmlText.tag("recordtype", 0) + XmlText.tag("datatype", "QDP_" + p + n + "_ColorMatrix")
                + XmlText.tag("precision", p) + XmlText.tag("colors", n) + XmlText.tag("spins", 4)
                + XmlText.tag("typesize", typesize) + XmlText.tag("datacount", layout.dims()) + "</scidacRecord>";
    }

    /** Colors N and precision as QIO records them, each possibly missing. */
    public record RecordInfo(Optional<Integer> colors, Optional<Precision> precision) {
    }

    public static RecordInfo parseScidacPrivateRecord(String xml, String where) throws IldgFormatException {
        Optional<Integer> colors = XmlText.longElement(xml, "colors", where).map(Long::intValue);
        Optional<Precision> precision = XmlText.element(xml, "precision").flatMap(s -> switch (s.toUpperCase(Locale.ROOT)) {
            case "F", "32" -> Optional.of(Precision.FLOAT);
            case "D", "64" -> Optional.of(Precision.DOUBLE);
            default -> Optional.empty();
        });
        return new RecordInfo(colors, precision);
    }

    // ---- scidac-file-xml and scidac-record-xml (user XML) ----

    public static String scidacFile(String gaugeflowVersion, Instant date) {
        return PROLOG + "<gaugeflowFile>" + XmlText.tag("program", "gaugeflow")
                + XmlText.tag("version", gaugeflowVersion) + XmlText.tag("created", date.toString()) + "</gaugeflowFile>";
    }

    public static String scidacRecord(Provenance provenance, IldgLayout layout) {
        return PROLOG + "<gaugeflowRecord>" + provenance.toXmlElement() + XmlText.tag("field", layout.field().ildgName())
                + XmlText.tag("lattice", layout.latticeString()) + "</gaugeflowRecord>";
    }

    // ---- scidac-checksum ----

    public static String scidacChecksum(ScidacChecksum sum) {
        return PROLOG + "<scidacChecksum>" + XmlText.tag("version", "1.0") + XmlText.tag("suma", sum.sumaHex())
                + XmlText.tag("sumb", sum.sumbHex()) + "</scidacChecksum>";
    }

    public static ScidacChecksum parseScidacChecksum(String xml, String where) throws IldgFormatException {
        String a = XmlText.element(xml, "suma").orElseThrow(
                () -> new IldgFormatException(where + ": scidac-checksum record has no <suma>"));
        String b = XmlText.element(xml, "sumb").orElseThrow(
                () -> new IldgFormatException(where + ": scidac-checksum record has no <sumb>"));
        try {
            return new ScidacChecksum(ScidacChecksum.parseHex(a), ScidacChecksum.parseHex(b));
        } catch (IllegalArgumentException e) {
            throw new IldgFormatException(where + ": " + e.getMessage());
        }
    }
}
