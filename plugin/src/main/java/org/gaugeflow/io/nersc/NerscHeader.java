package org.gaugeflow.io.nersc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ASCII header of a NERSC file: a {@code BEGIN_HEADER} line, {@code KEY = VALUE} lines, an
 * {@code END_HEADER} line, then the binary data. Keys and values are kept as written (whitespace
 * around them removed), in file order, unknown keys included. Typed accessors turn a missing or
 * malformed value into a one-line {@link NerscFormatException} naming the file, the key and what was
 * expected.
 */
public final class NerscHeader {

    public static final String BEGIN = "BEGIN_HEADER";
    public static final String END = "END_HEADER";

    /** How far into a file the reader looks for {@code END_HEADER}. */
    public static final int MAX_BYTES = 1 << 20;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,3})?");

    private final String source;
    private final Map<String, String> entries;
    private final int byteLength;

    private NerscHeader(String source, Map<String, String> entries, int byteLength) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.byteLength = byteLength;
    }

    /**
     * A header to write. Keys are letters, digits, {@code _ . -}; values are printable ASCII on one line.
     *
     * @param source what error messages call the file
     * @throws IllegalArgumentException for a key or value that cannot be written
     */
    public static NerscHeader of(String source, Map<String, String> entries) {
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || !KEY.matcher(k).matches() || k.equals(BEGIN) || k.equals(END)) {
                throw new IllegalArgumentException("NERSC header key '" + k + "': expected letters, digits and _");
            }
            if (v == null || !v.equals(v.strip()) || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("NERSC header value of " + k + " '" + v
                        + "': expected printable ASCII on one line without surrounding blanks");
            }
        }
        NerscHeader h = new NerscHeader(source, entries, 0);
        return new NerscHeader(source, entries, h.format().length);
    }

    /**
     * Parses the header at the buffer's position; on return the position is at the first data byte.
     *
     * @param source what error messages call the file
     * @throws NerscFormatException when the buffer does not start with a complete, well-formed header
     */
    public static NerscHeader parse(String source, ByteBuffer file) throws NerscFormatException {
        int start = file.position();
        int end = (int) Math.min(file.limit(), (long) start + MAX_BYTES);
        if (start >= file.limit()) {
            throw new NerscFormatException(source + ": empty file, expected a first line " + BEGIN);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        int lineNo = 0;
        int pos = start;
        while (pos < end) {
            int nl = pos;
            while (nl < end && file.get(nl) != '\n') {
                nl++;
            }
            lineNo++;
            int lineStart = pos;
            boolean binary = false;
            byte[] raw = new byte[nl - pos];
            for (int i = 0; i < raw.length; i++) {
                byte b = file.get(pos + i);
                raw[i] = b;
                binary |= (b >= 0 && b < 0x20 && b != '\t' && b != '\r') || b == 0x7f;
            }
            String line = new String(raw, StandardCharsets.ISO_8859_1).strip();
            pos = nl < end ? nl + 1 : nl;
            if (lineNo == 1) {
                if (!line.equals(BEGIN)) {
                    throw new NerscFormatException(source + ": first line is '" + printable(line)
                            + "', expected " + BEGIN + " (not a NERSC file)");
                }
                continue;
            }
            if (binary) {
                throw new NerscFormatException(source + ": no " + END + " line before binary data (line " + lineNo
                        + " at byte " + (lineStart - start) + " is not text)");
            }
            if (line.equals(END)) {
                file.position(pos);
                return new NerscHeader(source, entries, pos - start);
            }
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty()) {
                throw new NerscFormatException(source + ": header line " + lineNo + " '" + printable(line)
                        + "' is not KEY = VALUE");
            }
            if (entries.containsKey(key)) {
                throw new NerscFormatException(source + ": header key " + key + " appears twice (lines "
                        + lineOf.get(key) + " and " + lineNo + "), expected once");
            }
            entries.put(key, line.substring(eq + 1).strip());
            lineOf.put(key, lineNo);
        }
        if (end < file.limit()) {
            throw new NerscFormatException(source + ": no " + END + " line in the first " + MAX_BYTES + " bytes");
        }
        throw new NerscFormatException(source + ": file ends after " + (end - start) + " bytes without an " + END
                + " line");
    }

    /** The header as written to a file: {@code BEGIN_HEADER}, {@code KEY = VALUE} lines, {@code END_HEADER}, each ending in a newline. */
    public byte[] format() {
        StringBuilder b = new StringBuilder(BEGIN).append('\n');
        for (Map.Entry<String, String> e : entries.entrySet()) {
            b.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        b.append(END).append('\n');
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A copy with {@code key} set to {@code value} (replaced in place, or appended). */
    public NerscHeader with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(entries);
        m.put(key, value);
        return of(source, m);
    }

    /** What error messages call the file. */
    public String source() {
        return source;
    }

    /** Bytes the header takes in the file, {@code END_HEADER} line included: the offset of the data. */
    public int byteLength() {
        return byteLength;
    }

    /** Every key and value, in file order (unmodifiable). */
    public Map<String, String> entries() {
        return entries;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The value of a key that must be present; {@code expected} describes it for the error message. */
    public String require(String key, String expected) throws NerscFormatException {
        String v = entries.get(key);
        if (v == null) {
            throw new NerscFormatException(source + ": header has no " + key + ", expected " + expected);
        }
        return v;
    }

    /** A required decimal integer. */
    public long longValue(String key) throws NerscFormatException {
        String v = require(key, "an integer");
        if (!INTEGER.matcher(v).matches()) {
            throw malformed(key, v, "an integer");
        }
        return Long.parseLong(v);
    }

    /** A required finite decimal number ({@code 0.5882}, {@code 1}, {@code -2.5e-07}). */
    public double doubleValue(String key) throws NerscFormatException {
        String v = require(key, "a number");
        if (!DECIMAL.matcher(v).matches()) {
            throw malformed(key, v, "a decimal number like 0.5881234");
        }
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d)) {
            throw malformed(key, v, "a finite number");
        }
        return d;
    }

    /** {@code CHECKSUM} as written (hex, up to 64 bits; the low 32 bits are compared). */
    public long checksum() throws NerscFormatException {
        String v = require("CHECKSUM", "a hex checksum like 40000000");
        try {
            return NerscChecksum.parse(v);
        } catch (NumberFormatException e) {
            throw malformed("CHECKSUM", v, "a hex number like 40000000 (up to 16 digits)");
        }
    }

    /** {@code DATATYPE}: {@code 4D_SU3_GAUGE} or {@code 4D_SU3_GAUGE_3x3}. */
    public NerscDataType dataType() throws NerscFormatException {
        String v = require("DATATYPE", "4D_SU3_GAUGE or 4D_SU3_GAUGE_3x3");
        NerscDataType t = NerscDataType.parseOrNull(v);
        if (t == null) {
            throw malformed("DATATYPE", v, "4D_SU3_GAUGE or 4D_SU3_GAUGE_3x3");
        }
        return t;
    }

    /** {@code FLOATING_POINT}: the formats it may mean, most likely first (see {@link NerscFloatingPoint}). */
    public List<NerscFloatingPoint> floatingPoint() throws NerscFormatException {
        String expected = "IEEE32BIG, IEEE64BIG, IEEE32LITTLE, IEEE64LITTLE, IEEE32 or IEEE64";
        String v = require("FLOATING_POINT", expected);
        List<NerscFloatingPoint> c = NerscFloatingPoint.candidates(v);
        if (c.isEmpty()) {
            throw malformed("FLOATING_POINT", v, expected);
        }
        return c;
    }

    /** {@code DIMENSION_1..4}: the extents L_x, L_y, L_z, L_t. */
    public int[] dimensions() throws NerscFormatException {
        int[] ext = new int[4];
        for (int mu = 0; mu < 4; mu++) {
            String key = "DIMENSION_" + (mu + 1);
            String v = require(key, "a positive integer (lattice extent)");
            if (!INTEGER.matcher(v).matches() || Long.parseLong(v) < 1 || Long.parseLong(v) > Integer.MAX_VALUE) {
                throw malformed(key, v, "a positive integer (lattice extent)");
            }
            ext[mu] = Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
        }
        return ext;
    }

    private NerscFormatException malformed(String key, String value, String expected) {
        return new NerscFormatException(source + ": header " + key + " = '" + printable(value) + "', expected " + expected);
    }

    /** At most 60 characters, non-printables as {@code ?}: safe inside a one-line message. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 60; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 60 ? b + "..." : b.toString();
    }

    @Override
    public String toString() {
        return new String(format(), StandardCharsets.US_ASCII);
    }
}
