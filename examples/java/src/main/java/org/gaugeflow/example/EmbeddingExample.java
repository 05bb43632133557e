package org.gaugeflow.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.io.ildg.IldgArrays;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingRun;

/**
 * gaugeflow embedded in a Java program through the library artifact alone (docs/library.md): configure and train
 * a small multiscale U(1) model on 8x8 at beta = 2, load it back from its run folder, draw samples with their
 * log q, run a hybrid chain (native-engine HMC trajectories mixed with flow proposals), and write and read an ILDG
 * file from plain Java arrays. Run: {@code java -cp ... org.gaugeflow.example.EmbeddingExample [WORKDIR]}.
 */
public final class EmbeddingExample {

    /** The model and training run: the same YAML a {@code gaugeflow train} user would write. */
    static final String CONFIG = String.join("\n",
            "theory: {group: u1, lattice: 8x8, beta: 2.0}",
            "model: {type: multiscale, coarse: 2x2, scm_layers: 0, fine_layers: 0, beta_tilde: 1.0}",
            "training: {batch: 64, steps: 150, lr: 0.02, schedule: constant, seed: 1, precision: float64,",
            "           checkpoint_interval: 50, eval_samples: 1024, eval_batch: 256}", "");

    /** What the example measured. */
    public record Result(double trainedEss, GammaResult plaquette, double exactPlaquette, Map<String, Double> acceptance,
                         boolean ildgRoundTrip) {}

    private EmbeddingExample() {}

    public static void main(String[] args) throws IOException {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("gaugeflow-example");
        Result r = run(work);
        System.out.printf(Locale.ROOT, "plaquette %.5f +- %.5f (tau_int %.2f), exact %.5f: %+.1f sigma%n", r.plaquette().mean(),
                r.plaquette().error(), r.plaquette().tauInt(), r.exactPlaquette(),
                (r.plaquette().mean() - r.exactPlaquette()) / r.plaquette().error());
    }

    /** Runs every step in {@code work} (a run folder and an ILDG file are written there). */
    public static Result run(Path work) throws IOException {
        TorchRuntime.configure();
        Files.createDirectories(work);

        // 1. Configure and train a model; the run folder (locked while training) holds run.json, config.yaml,
        //    metrics.csv, checkpoint.pt, summary.json. OVERWRITE: a rerun of the example replaces its earlier run
        //    (NEW refuses a folder that holds anything, RESUME continues it with the same configuration).
        RunConfig cfg = RunConfig.parse(CONFIG, "example");
        Path runDir = work.resolve("model");
        double ess;
        try (TrainingRun run = TrainingRun.open(cfg, runDir, RunFolder.Mode.OVERWRITE)) {
            run.train(null);
            ess = ((Number) run.finish().get("ess")).doubleValue();
        }
        System.out.printf(Locale.ROOT, "trained %s: ESS %.3f on fresh samples%n", cfg.theory(), ess);

        // 2. Load the trained model back (what a later job of a pipeline does) and draw samples with log q.
        TrainedModel model = TrainedModel.load(runDir);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(5, model.options())) {
            Sample s = model.density().sample(4, rng);
            System.out.println("log q of 4 samples: " + Arrays.toString(Tensors.toArray(s.logQ())));
        }

        // 3. A hybrid chain: one native-engine HMC trajectory, then three flow proposals (independence Metropolis).
        Theory theory = cfg.theory();
        long n = 3000;
        long therm = 100;
        double[] plaquette = new double[(int) (n - therm)];
        Map<String, Double> acceptance = new java.util.LinkedHashMap<>();
        Path ildg = work.resolve("last.ildg");
        IldgArrays.Configuration written;
        HybridChain.Builder b = new HybridChain.Builder().theory(theory.group(), theory.lattice(), theory.beta())
                .schedule(new Schedule(1, 3)).seed(7).proposalBatch(256)
                .model(model.density(), model.options(), model.name(), model.checksum())
                .hmc(HmcEngines.create("native", 7, theory.group(), model.options()),
                        new HmcParameters(theory.beta(), 1.0, 8, Integrator.OMELYAN));
        try (HybridChain chain = b.build()) {
            chain.run(n, (rec, state) -> {
                if (rec.update() > therm) plaquette[(int) (rec.update() - therm - 1)] = rec.observables()[0];
            });
            for (var k : org.gaugeflow.chain.UpdateKind.values()) {
                if (chain.state().proposed(k) > 0) acceptance.put(k.label(), chain.state().acceptance(k));
            }
            // 4. The last configuration as plain Java arrays, written to ILDG and read back.
            written = IldgArrays.of(chain.state().field(), 0);
        }
        IldgArrays.write(ildg, written, Precision.DOUBLE,
                new Provenance(GaugeflowVersion.describe(), "wilson", theory.beta(), "example", n, model.checksum()));
        IldgArrays.Configuration read = IldgArrays.read(ildg);
        boolean same = Arrays.equals(read.links(), written.links()) && Arrays.equals(read.extents(), written.extents());
        System.out.println("ILDG round trip through plain arrays: " + (same ? "identical" : "DIFFERENT") + " (" + ildg + ")");

        return new Result(ess, GammaMethod.analyze(plaquette), new ExactU1TwoD(theory.beta(), theory.lattice().volume()).plaquette(),
                acceptance, same);
    }
}
