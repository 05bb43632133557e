package org.gaugeflow.io.ildg;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small, tolerant XML handling that ILDG metadata needs. Real files carry trailing NULs after
 * the XML, whitespace and newlines inside values, namespace prefixes and attributes; a strict parser
 * rejects some of them, so values are picked out by element name instead.
 */
final class XmlText {

    private XmlText() {
    }

    /** Decodes record bytes as UTF-8, dropping a byte-order mark and trailing NULs and whitespace. */
    static String decode(byte[] raw) {
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == 0 || Character.isWhitespace(raw[end - 1]))) {
            end--;
        }
        String s = new String(raw, 0, end, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /**
     * The text inside the first element named {@code name} (any namespace prefix, any attributes),
     * unescaped, with surrounding whitespace removed; empty when absent.
     */
    static Optional<String> element(String xml, String name) {
        return rawElement(xml, name).map(v -> unescape(v).strip());
    }

    /** The content of the first element named {@code name}, as written (for elements with children). */
    static Optional<String> rawElement(String xml, String name) {
        Pattern p = Pattern.compile("<(?:[\\w.-]+:)?" + Pattern.quote(name) + "(?:\\s[^>]*)?>(.*?)</(?:[\\w.-]+:)?"
                + Pattern.quote(name) + "\\s*>", Pattern.DOTALL);
        Matcher m = p.matcher(xml);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }

    /** An element's value as a long, or empty; whitespace around the number is allowed. */
    static Optional<Long> longElement(String xml, String name, String where) throws IldgFormatException {
        Optional<String> v = element(xml, name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            throw new IldgFormatException(where + ": <" + name + "> is '" + v.get() + "', expected an integer");
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String unescape(String text) {
        String t = text.strip();
        if (t.startsWith("<![CDATA[") && t.endsWith("]]>")) {
            return t.substring(9, t.length() - 3);
        }
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&amp;", "&");
    }

    /** {@code <name>value</name>} with the value escaped. */
    static String tag(String name, Object value) {
        return "<" + name + ">" + escape(String.valueOf(value)) + "</" + name + ">";
    }
}
