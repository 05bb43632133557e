package org.gaugeflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * One mapping of a YAML configuration file, read with one set of rules everywhere in gaugeflow (run
 * configurations, model sections): a key that is not allowed is an error that lists the allowed keys; a duplicate
 * key is an error; a value of the wrong kind is an error naming the key, the value and what was expected. Every
 * error is one line that starts with the file ("config FILE: ...").
 */
public final class ConfigSection {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final JsonNode node;
    private final String prefix;
    private final String source;

    private ConfigSection(JsonNode node, String prefix, String source) {
        this.node = node;
        this.prefix = prefix;
        this.source = source;
    }

    /** The top-level mapping of a YAML text; {@code source} names it in errors (a file name). */
    public static ConfigSection parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + source + ": not valid YAML (" + oneLine(e) + ")");
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("config " + source + ": expected a mapping");
        return new ConfigSection(root, "", source);
    }

    /** A mapping given as a tree (e.g. recorded in a checkpoint); {@code prefix} like "model." names its keys. */
    public static ConfigSection of(JsonNode node, String prefix, String source) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("config " + source + ": '" + prefix + "' expected a mapping");
        return new ConfigSection(node, prefix, source);
    }

    public JsonNode node() { return node; }

    public String source() { return source; }

    /** The dotted name of a key of this section, as errors print it. */
    public String name(String key) { return prefix + key; }

    public boolean has(String key) { return node.has(key); }

    /** A required sub-mapping. */
    public ConfigSection section(String key) {
        JsonNode n = node.get(key);
        if (n == null || !n.isObject()) throw error("'" + name(key) + "' missing; expected a mapping");
        return new ConfigSection(n, name(key) + ".", source);
    }

    /** Rejects every key not in {@code allowed}, with a one-line error listing the allowed keys. */
    public void allowOnly(Collection<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) throw error("unknown key '" + name(k) + "'; expected one of " + allowed);
        }
    }

    /** The keys present, in file order. */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A required non-empty scalar as text. */
    public String text(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank()) throw error("'" + name(key) + "' missing; expected a value");
        return v.asText().trim();
    }

    /** An optional scalar as text. */
    public String text(String key, String dflt) {
        JsonNode v = node.get(key);
        if (v == null) return dflt;
        if (!v.isValueNode() || v.isNull() || v.asText().isBlank()) throw error(name(key) + " = '" + v + "', expected a value");
        return v.asText().trim();
    }

    /** A required number. */
    public double number(String key) {
        if (!node.has(key)) throw error("'" + name(key) + "' missing; expected a number");
        return number(key, 0);
    }

    /** An optional number. */
    public double number(String key, double dflt) {
        JsonNode v = node.get(key);
        if (v == null) return dflt;
        if (!v.isNumber()) throw error(name(key) + " = '" + v.asText() + "', expected a number");
        return v.asDouble();
    }

    /** An optional integer (64-bit). */
    public long integer(String key, long dflt) {
        JsonNode v = node.get(key);
        if (v == null) return dflt;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw error(name(key) + " = '" + v.asText() + "', expected an integer");
        return v.asLong();
    }

    /** An optional integer that fits in 32 bits. */
    public int int32(String key, int dflt) {
        long v = integer(key, dflt);
        if (v != (int) v) throw error(name(key) + " = " + v + ", expected an integer below 2^31");
        return (int) v;
    }

    /** An optional list of 32-bit integers. */
    public int[] int32s(String key, int[] dflt) {
        JsonNode v = node.get(key);
        if (v == null) return dflt.clone();
        if (!v.isArray()) throw error(name(key) + " = '" + v.asText() + "', expected a list of integers");
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw error(name(key) + "[" + i + "] = '" + e.asText() + "', expected an integer");
            }
            out[i] = e.asInt();
        }
        return out;
    }

    /** An optional boolean. */
    public boolean bool(String key, boolean dflt) {
        JsonNode v = node.get(key);
        if (v == null) return dflt;
        if (!v.isBoolean()) throw error(name(key) + " = '" + v.asText() + "', expected true or false");
        return v.asBoolean();
    }

    /** A one-line usage error about this configuration. */
    public IllegalArgumentException error(String what) {
        return new IllegalArgumentException("config " + source + ": " + what);
    }

    private static String oneLine(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
