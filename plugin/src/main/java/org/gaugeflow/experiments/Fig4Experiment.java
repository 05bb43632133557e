package org.gaugeflow.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.analysis.ReweightingStats;

/**
 * The paper's Fig. 4 (Sec. 4.1): 4D U(1) and 4D SU(3), Haar coarse prior on 2^4, periodic 4^4 target; for each beta,
 * (a) the multiscale model with a small fine-lattice flow on top and (b) the fine-lattice flow alone, trained by
 * reverse KL at equal budget (the wall-clock {@code budgetSeconds} of the settings, and their step cap), then
 * measured on fresh samples.
 *
 * <p>KL (Eq. (3)) = E_q[log q + S] + log Z. In 4D log Z is not known, so, as in the paper, "the constant log Z is
 * estimated from the best model available at the given beta, and the same value of log Z is used for every model at
 * the same value of beta". Here the best model at a beta is the one with the lowest loss mean(log q + S) on its
 * evaluation samples, which is the model with the lowest KL whatever the common log Z (the paper's own ranking), and
 * log Z is that model's estimate log mean_i w_i, w = e^{-S} / q ({@link ReweightingStats}); every model at that beta
 * gets KL = its own mean(log q + S) + that log Z. (The model with the largest ESS was the other candidate: on small
 * evaluation samples the ESS of a poor model is dominated by its few largest weights, cannot fall below 1/n and is
 * biased upward, so it can pick the worse model and a log Z estimate that is far too low; the rows record every
 * model's own log Z and ESS, so the KL under another rule is one subtraction away.) Since log mean w is biased low
 * (Jensen), the KL of the reference model itself is >= 0 by construction and all KL at a beta are biased low by the
 * same amount; their difference (the gap the paper shows) does not depend on log Z. The KL error in the CSV is the
 * standard error of mean(log q + S) alone (the shared log Z moves every model together); the reference log Z's
 * delta-method error sqrt((1/ESS - 1)/n) is a separate column. The ESS has a bootstrap error ({@code bootstrap}
 * resamples).
 *
 * <p>Training and measuring each model is {@link Fig2Experiment#trainAndMeasure} (same seeds, same settings record).
 * Writes {@code fig4-<name>.csv}, rewritten after every model; the KL of a beta is final once both its models are in.
 */
public final class Fig4Experiment {

    /**
     * One model at one beta.
     *
     * @param beta            coupling
     * @param model           {@code multiscale} or {@code fine-flow}
     * @param params          trainable parameters
     * @param steps           training steps done within the budget
     * @param trainSeconds    wall seconds of training
     * @param trainCpuSeconds process CPU seconds of training
     * @param samples         evaluation samples
     * @param ess             ESS (Eq. (4))
     * @param essError        its bootstrap error
     * @param loss            mean(log q + S) = KL - log Z
     * @param lossError       its standard error
     * @param logZ            this model's own log Z estimate
     * @param logZError       its delta-method error
     * @param logZRef         the log Z used for every model at this beta (from the model with the lowest loss)
     * @param logZRefError    its delta-method error
     * @param logZRefModel    the model it comes from
     * @param kl              loss + logZRef
     */
    public record Row(double beta, String model, long params, long steps, double trainSeconds, double trainCpuSeconds,
                      long samples, double ess, double essError, double loss, double lossError, double logZ,
                      double logZError, double logZRef, double logZRefError, String logZRefModel, double kl) {}

    private final Fig2Experiment training;
    private final Fig2Experiment.Settings s;
    private final List<Row> rows = new ArrayList<>();

    /** The experiment with the training and evaluation settings of {@code settings} (its curve settings unused). */
    public Fig4Experiment(Fig2Experiment.Settings settings) {
        if (settings.target().dims() < 2) throw new IllegalArgumentException("lattice " + settings.target() + ": expected d >= 2");
        this.s = settings;
        this.training = new Fig2Experiment(settings);
    }

    /**
     * Trains and measures both models at every beta, telling {@code onRow} after each beta's pair (with their final
     * KL); returns all rows.
     */
    public List<Row> run(Consumer<Row> onRow) throws IOException {
        Files.createDirectories(s.out());
        for (double beta : s.betas()) {
            Theory theory = new Theory(s.group(), s.target(), beta);
            List<String> kinds = new ArrayList<>();
            List<Fig2Experiment.Measured> measured = new ArrayList<>();
            for (String kind : Fig2Experiment.KINDS) {
                Module model;
                try (Rng init = new Rng(s.seed() + 1000, s.options())) {
                    model = s.models().build(kind, init);
                }
                kinds.add(kind);
                measured.add(training.trainAndMeasure(theory, kind, model));
                List<Row> these = withSharedLogZ(beta, kinds, measured);
                writeCsv(these);
                if (kinds.size() == Fig2Experiment.KINDS.size()) {
                    rows.addAll(these);
                    if (onRow != null) these.forEach(onRow);
                }
            }
        }
        writeCsv(List.of());
        return List.copyOf(rows);
    }

    /** The rows of one beta, every model's KL taken with the log Z of the model with the lowest loss. */
    static List<Row> withSharedLogZ(double beta, List<String> kinds, List<Fig2Experiment.Measured> measured) {
        int best = 0;
        for (int i = 1; i < measured.size(); i++) {
            if (measured.get(i).evaluation().stats().loss() < measured.get(best).evaluation().stats().loss()) best = i;
        }
        ReweightingStats ref = measured.get(best).evaluation().stats();
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            Fig2Experiment.Measured m = measured.get(i);
            ReweightingStats st = m.evaluation().stats();
            Fig2Experiment.Row r = m.row();
            out.add(new Row(beta, kinds.get(i), r.params(), r.steps(), r.trainSeconds(), m.trainCpuSeconds(), st.samples(),
                    st.ess(), r.essError(), st.loss(), st.lossError(), st.logZ(), st.logZError(), ref.logZ(),
                    ref.logZError(), kinds.get(best), st.kl(ref.logZ())));
        }
        return out;
    }

    private void writeCsv(List<Row> pending) throws IOException {
        StringBuilder b = new StringBuilder("beta,model,params,steps,batch,train_seconds,train_cpu_seconds,samples,ess,"
                + "ess_error,loss,loss_error,log_z,log_z_error,log_z_ref,log_z_ref_error,log_z_ref_model,kl,kl_error,"
                + "threads,precision,lattice\n");
        List<Row> all = new ArrayList<>(rows);
        all.addAll(pending);
        for (Row r : all) {
            b.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d,%d,%.2f,%.2f,%d,%.6g,%.6g,%.8g,%.6g,%.8g,%.6g,%.8g,%.6g,%s,%.8g,"
                            + "%.6g,%d,%s,%s%n", r.beta(), r.model(), r.params(), r.steps(), s.batch(), r.trainSeconds(),
                    r.trainCpuSeconds(), r.samples(), r.ess(), r.essError(), r.loss(), r.lossError(), r.logZ(), r.logZError(),
                    r.logZRef(), r.logZRefError(), r.logZRefModel(), r.kl(), r.lossError(), TorchRuntime.threads(),
                    s.options().precision().label(), s.target()));
        }
        AtomicFileWriter.write(s.out().resolve("fig4-" + s.name() + ".csv"), b.toString());
    }
}
