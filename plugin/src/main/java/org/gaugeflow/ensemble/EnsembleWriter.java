package org.gaugeflow.ensemble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.gaugeflow.chain.ChainState;
import org.gaugeflow.chain.UpdateRecord;
import org.gaugeflow.io.CsvTable;
import org.gaugeflow.io.ildg.IldgGaugeFields;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.tensor.Precision;

/**
 * The ensemble of a chain: an ILDG file {@code cfg_UUUUUUUU.ildg} (U = update number) every K updates in
 * OUT/ensemble, with provenance in the scidac-record-xml (gaugeflow version, action, beta, origin = the kind
 * of the update that produced the state, step = update number, model checksum) and the chain id in the
 * ILDG logical file name {@code gaugeflow/CHAIN_ID/cfg_UUUUUUUU.ildg}, dated with the run's creation date (so a
 * resumed chain writes byte-identical files); and index.csv listing the files
 * with their observables.
 */
final class EnsembleWriter implements AutoCloseable {
    static final String INDEX = "index.csv";
    private final Path dir;
    private final String chainId;
    private final double beta;
    private final String modelChecksum;
    private final Precision precision;
    private final String version;
    private final CsvTable index;
    private final java.time.Instant date;

    EnsembleWriter(Path dir, String chainId, double beta, String modelChecksum, Precision precision, String version,
            String[] observables, long resumeAt, java.time.Instant date) throws IOException {
        this.date = date;
        this.dir = dir;
        this.chainId = chainId;
        this.beta = beta;
        this.modelChecksum = modelChecksum;
        this.precision = precision;
        this.version = version;
        Files.createDirectories(dir);
        String header = "update,file,kind,chain_id," + String.join(",", observables);
        if (resumeAt < 0) {
            index = CsvTable.create(dir.resolve(INDEX), header);
        } else {
            index = CsvTable.resume(dir.resolve(INDEX), header, resumeAt);
            // files written after the checkpoint are written again, identically, by the resumed chain
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    long u = updateOf(p.getFileName().toString());
                    if (u > resumeAt) Files.delete(p);
                }
            }
        }
    }

    static String fileName(long update) { return String.format(Locale.ROOT, "cfg_%08d.ildg", update); }

    /** The update number of a configuration file name, -1 for other names. */
    static long updateOf(String name) {
        if (!name.matches("cfg_\\d{8,}\\.ildg")) return -1;
        return Long.parseLong(name.substring(4, name.length() - 5));
    }

    void save(UpdateRecord r, ChainState s) throws IOException {
        String name = fileName(r.update());
        Provenance p = new Provenance(version, "wilson", beta, r.kind().label(), r.update(), modelChecksum);
        IldgWriter.Options o = IldgWriter.Options.of(precision, p).withLfn("gaugeflow/" + chainId + "/" + name).withDate(date);
        IldgGaugeFields.write(dir.resolve(name), s.field(), 0, o);
        StringBuilder row = new StringBuilder().append(r.update()).append(',').append(name).append(',')
                .append(r.kind().label()).append(',').append(chainId);
        for (double v : r.observables()) row.append(',').append(SampleRun.num(v));
        index.append(row.toString());
    }

    void flush() throws IOException { index.flush(); }

    @Override public void close() throws IOException { index.close(); }
}
