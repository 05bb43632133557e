package org.gaugeflow;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of the library and the commit it was built from (recorded at build time in
 * {@code gaugeflow-version.properties}); both go into the provenance of every file gaugeflow writes.
 */
public final class GaugeflowVersion {
    private static final Properties PROPS = load();

    private GaugeflowVersion() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = GaugeflowVersion.class.getResourceAsStream("/gaugeflow-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // keep the defaults below
        }
        return p;
    }

    private static String get(String key) {
        String v = PROPS.getProperty(key, "");
        return v.isBlank() || v.startsWith("${") ? "unknown" : v.trim();
    }

    /** The Maven version, e.g. 0.1.0-SNAPSHOT. */
    public static String version() { return get("version"); }

    /** The abbreviated commit hash, with "-dirty" when the working tree had changes; "unknown" outside git. */
    public static String commit() {
        String c = get("commit");
        return c.equals("unknown") || !get("dirty").equals("true") ? c : c + "-dirty";
    }

    /** "VERSION (commit COMMIT)". */
    public static String describe() { return version() + " (commit " + commit() + ")"; }
}
