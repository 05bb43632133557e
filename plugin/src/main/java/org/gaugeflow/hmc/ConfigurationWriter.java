package org.gaugeflow.hmc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.io.ildg.IldgGaugeFields;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.Precision;

/**
 * Writes HMC configurations as 64-bit ILDG files (docs/ildg.md) named
 * {@code <group>_<lattice>_b<beta>_c<chain>_t<trajectory>.ildg}, with the run's provenance
 * (action wilson, beta, origin hmc:&lt;engine&gt;, trajectory) and the run's creation date. Each file is written
 * atomically.
 */
public final class ConfigurationWriter {

    private final Path dir;
    private final String prefix;
    private final double beta;
    private final String origin;
    private final java.time.Instant date;

    ConfigurationWriter(Path dir, GaugeGroup group, Lattice lattice, double beta, String engine, java.time.Instant date) {
        this.date = date;
        this.dir = dir;
        this.prefix = group.name() + "_" + lattice + "_b" + String.format(Locale.ROOT, "%s", beta);
        this.beta = beta;
        this.origin = "hmc:" + engine;
    }

    /** The file name of chain {@code chain} at trajectory {@code trajectory}: PREFIX_cCHAIN_tTRAJECTORY.ildg. */
    public static String name(String prefix, long chain, long trajectory) {
        return String.format(Locale.ROOT, "%s_c%d_t%06d.ildg", prefix, chain, trajectory);
    }

    String fileName(long chain, long trajectory) {
        return name(prefix, chain, trajectory);
    }

    /**
     * Deletes the files of trajectories {@code >= from} (a resumed run writes them again, identically): the folder
     * then holds only configurations that the history up to its checkpoint describes.
     */
    void deleteFrom(long from) throws IOException {
        if (!Files.isDirectory(dir)) return;
        java.util.regex.Pattern name = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix) + "_c\\d+_t(\\d+)\\.ildg");
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                java.util.regex.Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) >= from) Files.delete(p);
            }
        }
    }

    void write(GaugeField field, long trajectory) {
        try {
            Files.createDirectories(dir);
            Provenance provenance = new Provenance(GaugeflowVersion.describe(), "wilson", beta, origin, trajectory, null);
            IldgWriter.Options options = IldgWriter.Options.of(Precision.DOUBLE, provenance).withDate(date);
            for (long b = 0; b < field.batch(); b++) {
                String name = fileName(b, trajectory);
                IldgGaugeFields.write(dir.resolve(name), field, b, options.withLfn(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing configuration of trajectory " + trajectory + " to " + dir + ": "
                    + e.getMessage(), e);
        }
    }
}
