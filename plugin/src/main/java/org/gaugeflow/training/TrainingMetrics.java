package org.gaugeflow.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.gaugeflow.io.AtomicFileWriter;

/**
 * The metrics of a training run, one row every {@code metrics_interval} steps, kept in memory and written as
 * {@code metrics.csv} (rewritten atomically at each checkpoint; docs/training.md describes the columns). On resume
 * the rows after the checkpoint's step are dropped, so the file has no gap and no duplicate.
 */
public final class TrainingMetrics {
    /** The file name in a run folder. */
    public static final String FILE = "metrics.csv";
    /** The CSV header. */
    public static final String HEADER = "step,loss,loss_error,kl,ess,log_z,log_z_error,lr,grad_norm,seconds";

    /** One row: the training batch's statistics at a step (KL with the exact log Z where known). */
    public record Row(long step, double loss, double lossError, double kl, double ess, double logZ, double logZError,
                      double lr, double gradNorm, double seconds) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%.8g,%.4g,%.8g,%.6g,%.8g,%.4g,%.6g,%.6g,%.3f", step, loss, lossError, kl, ess,
                    logZ, logZError, lr, gradNorm, seconds);
        }

        static Row parse(String line, Path file) {
            String[] f = line.split(",");
            try {
                return new Row(Long.parseLong(f[0]), d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), d(f[7]), d(f[8]), d(f[9]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("metrics " + file + ": row '" + line + "' is not " + HEADER);
            }
        }

        private static double d(String s) { return Double.parseDouble(s); }
    }

    private final List<Row> rows = new ArrayList<>();

    /** The rows so far. */
    public List<Row> rows() { return Collections.unmodifiableList(rows); }

    public void add(Row r) { rows.add(r); }

    /** Reads {@code file}, keeping rows up to {@code step} (all with Long.MAX_VALUE); a missing file gives none. */
    public static TrainingMetrics read(Path file, long step) throws IOException {
        TrainingMetrics m = new TrainingMetrics();
        if (!Files.exists(file)) return m;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("step")) continue;
            Row r = Row.parse(line, file);
            if (r.step() <= step) m.rows.add(r);
        }
        return m;
    }

    /** Writes the rows to {@code file} atomically. */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) b.append(r.csv()).append('\n');
        AtomicFileWriter.write(file, b.toString());
    }
}
