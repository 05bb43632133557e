package org.gaugeflow.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Module;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.GradientEstimator;
import org.gaugeflow.training.LearningRateSchedule;
import org.gaugeflow.training.ModelEvaluation;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.TrainingConfig;
import org.gaugeflow.training.TrainingRun;

/**
 * The paper's Fig. 2 (Sec. 3.2): for each beta, (a) the multiscale model (Haar coarse prior, doubling layers with
 * staple-conditional models, a small fine-lattice flow on top) and (b) the fine-lattice flow alone are trained by
 * reverse KL with the same budget (steps and, optionally, seconds), batch and learning rate, then measured on fresh
 * samples: ESS (Eq. (4)) with a bootstrap error and KL (Eq. (3)). Writes {@code fig2-<group>.csv} (rewritten after
 * every model) and, with {@code evalEvery > 0}, a training curve {@code fig2-<group>-curve.csv}.
 *
 * <p>Seeds: network weights from {@code seed + 1000}, training samples from {@code seed}, the final evaluation from
 * {@code seed + 2}, curve evaluations from {@code seed + 3}.
 */
public final class Fig2Experiment {

    /** Builds the two models of a beta: {@code multiscale} and {@code fine-flow}, weights from {@code init}. */
    public interface Models {
        Module build(String kind, Rng init);
    }

    /** The model kinds, in the order they are trained. */
    public static final List<String> KINDS = List.of("multiscale", "fine-flow");

    /**
     * @param name          "u1" or "su3": names the output files
     * @param group         the gauge group
     * @param target        target lattice
     * @param betas         couplings
     * @param models        the two models
     * @param steps         training steps per model
     * @param budgetSeconds training seconds per model (0: none; evaluation not counted)
     * @param batch         training batch
     * @param lr            Adam learning rate (constant)
     * @param evalSamples   fresh samples of the final ESS
     * @param bootstrap     bootstrap resamples of the ESS error
     * @param evalEvery     also evaluate every this many steps (0: never)
     * @param curveSamples  samples of those evaluations
     * @param options       precision (CPU)
     * @param seed          seed
     * @param out           output folder
     */
    public record Settings(String name, GaugeGroup group, Lattice target, double[] betas, Models models, int steps,
                           double budgetSeconds, int batch, double lr, int evalSamples, int bootstrap, int evalEvery,
                           int curveSamples, FieldOptions options, long seed, Path out) {
        public Settings {
            if (steps < 0) throw new IllegalArgumentException("--budget-steps " + steps + ": expected >= 0");
            if (!(budgetSeconds >= 0)) throw new IllegalArgumentException("--budget-seconds " + budgetSeconds + ": expected >= 0");
            if (batch < 2) throw new IllegalArgumentException("--batch " + batch + ": expected >= 2");
            if (evalSamples < 2) throw new IllegalArgumentException("--eval-samples " + evalSamples + ": expected >= 2");
            if (evalEvery < 0) throw new IllegalArgumentException("--eval-every " + evalEvery + ": expected >= 0");
            if (evalEvery > 0 && curveSamples < 2) throw new IllegalArgumentException("--curve-samples " + curveSamples + ": expected >= 2");
            if (betas.length == 0) throw new IllegalArgumentException("--betas: expected at least one value");
            betas = betas.clone();
        }
    }

    /** One trained and measured model. */
    public record Row(double beta, String model, long params, long steps, double trainSeconds, double ess,
                      double essError, double klMinusLogZ, double kl) {}

    /**
     * One trained and measured model with what other experiments need beyond its {@link Row}: the evaluation (its
     * log-weights, for a log Z shared between models, {@link Fig4Experiment}) and the CPU seconds of its training.
     *
     * @param row             the row of the CSV
     * @param evaluation      the final evaluation on fresh samples
     * @param trainCpuSeconds CPU seconds of the process while training (all threads; wall seconds are in the row)
     */
    public record Measured(Row row, ModelEvaluation evaluation, double trainCpuSeconds) {}

    private final Settings s;
    private final List<Row> rows = new ArrayList<>();
    private final StringBuilder curve = new StringBuilder("beta,model,step,train_seconds,ess,kl_minus_logz,kl\n");

    public Fig2Experiment(Settings settings) { this.s = settings; }

    /** The models of the U(1) experiment (docs/multiscale.md). */
    public static Models u1Models(Lattice coarse, Lattice target, U1Models.Spec multiscale, U1FineLatticeFlow.Architecture alone,
            FieldOptions options) {
        return (kind, init) -> kind.equals("multiscale") ? U1Models.multiscale(coarse, target, multiscale, options, init)
                : U1Models.fineFlow(target, alone, options, init);
    }

    /** The models of the SU(N) experiment (docs/su3.md). */
    public static Models sunModels(SUN group, Lattice coarse, Lattice target, SUNModels.Spec multiscale,
            SUNFineLatticeFlow.Architecture alone, FieldOptions options) {
        return (kind, init) -> kind.equals("multiscale") ? SUNModels.multiscale(group, coarse, target, multiscale, options, init)
                : SUNModels.fineFlow(group, target, alone, options, init);
    }

    /** Trains and measures every (beta, model), telling {@code onRow} after each; returns all rows. */
    public List<Row> run(Consumer<Row> onRow) throws IOException {
        Files.createDirectories(s.out());
        for (double beta : s.betas()) {
            Theory theory = new Theory(s.group(), s.target(), beta);
            for (String kind : KINDS) {
                Module model;
                try (Rng init = new Rng(s.seed() + 1000, s.options())) {
                    model = s.models().build(kind, init);
                }
                Row r = trainAndMeasure(theory, kind, model).row();
                rows.add(r);
                writeCsv();
                if (onRow != null) onRow.accept(r);
            }
        }
        return List.copyOf(rows);
    }

    /** The settings. */
    public Settings settings() { return s; }

    /**
     * Trains {@code model} ({@code kind} names it in the rows) for {@code theory} at the settings' budget, batch and
     * learning rate, then measures it on {@code evalSamples} fresh samples (ESS with its bootstrap error, KL with the
     * exact log Z where known, else with the sample's own estimate).
     */
    public Measured trainAndMeasure(Theory theory, String kind, Module model) throws IOException {
        long params = ReverseKlTrainer.parameterCount(model);
        double exactLogZ = theory.exactLogZ();
        TrainingConfig tc = new TrainingConfig(s.batch(), params > 0 ? s.steps() : 0,
                new LearningRateSchedule("constant", s.lr(), 0, 1, 1), 0, s.seed(), s.options(), 1,
                GradientEstimator.REPARAMETERIZED, s.budgetSeconds());
        try (TrainingRun run = params > 0 ? TrainingRun.inMemory(model, theory, tc) : null;
             Rng curveRng = new Rng(s.seed() + 3, s.options())) {
            double cpu0 = processCpuSeconds();
            if (run != null) {
                if (s.evalEvery() > 0) curvePoint(theory, kind, 0, 0, model, curveRng);
                run.train((step, seconds) -> {
                    if (s.evalEvery() > 0 && step.step() % s.evalEvery() == 0 && !run.done()) {
                        curvePoint(theory, kind, step.step(), seconds, model, curveRng);
                    }
                });
            }
            double cpu = processCpuSeconds() - cpu0;
            long done = run == null ? 0 : run.step();
            double seconds = run == null ? 0 : run.seconds();
            ModelEvaluation ev;
            try (Rng rng = new Rng(s.seed() + 2, s.options())) {
                ev = ModelEvaluation.run((org.gaugeflow.flow.Density) model, theory, s.evalSamples(), s.batch(), rng);
            }
            double klMinus = ev.stats().loss();
            double kl = ev.stats().klWith(exactLogZ);
            if (s.evalEvery() > 0) appendCurve(theory.beta(), kind, done, seconds, ev.ess(), klMinus, kl);
            return new Measured(new Row(theory.beta(), kind, params, done, seconds, ev.ess(),
                    ev.essError(s.bootstrap(), s.seed() + 4), klMinus, kl), ev, cpu);
        }
    }

    /** CPU seconds of this process so far (all threads), or NaN where the JVM cannot tell. */
    static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    private void curvePoint(Theory theory, String kind, long step, double seconds, Module model, Rng rng) {
        ModelEvaluation q = ModelEvaluation.run((org.gaugeflow.flow.Density) model, theory, s.curveSamples(), s.batch(), rng);
        appendCurve(theory.beta(), kind, step, seconds, q.ess(), q.stats().loss(), q.stats().klWith(theory.exactLogZ()));
    }

    private void appendCurve(double beta, String kind, long step, double seconds, double ess, double klMinus, double kl) {
        curve.append(String.format(Locale.ROOT, "%.4f,%s,%d,%.2f,%.6f,%.6f,%.6f%n", beta, kind, step, seconds, ess, klMinus, kl));
    }

    private void writeCsv() throws IOException {
        StringBuilder b = new StringBuilder("beta,model,params,steps,batch,train_seconds,ess,ess_error,kl_minus_logz,kl,"
                + "threads,precision\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d,%d,%.2f,%.6f,%.6f,%.6f,%.6f,%d,%s%n", r.beta(), r.model(),
                    r.params(), r.steps(), s.batch(), r.trainSeconds(), r.ess(), r.essError(), r.klMinusLogZ(), r.kl(),
                    TorchRuntime.threads(), s.options().precision().label()));
        }
        AtomicFileWriter.write(s.out().resolve("fig2-" + s.name() + ".csv"), b.toString());
        if (s.evalEvery() > 0) AtomicFileWriter.write(s.out().resolve("fig2-" + s.name() + "-curve.csv"), curve.toString());
    }
}
