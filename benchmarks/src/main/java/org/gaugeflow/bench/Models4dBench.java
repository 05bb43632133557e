package org.gaugeflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.experiments.Fig2Experiment;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.flow.u1.U1FineLatticeFlow;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.group.SUN;
import org.gaugeflow.group.U1;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.MultiscaleModel;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.multiscale.U1Models;
import org.gaugeflow.multiscale.UBMode;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.GradientEstimator;
import org.gaugeflow.training.LearningRateSchedule;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run models4d}: the two models of Fig. 4 (the 4D multiscale model with a small fine-lattice flow on top,
 * and the fine-lattice flow alone, with {@code experiment fig4}'s default architectures) on each lattice, measured
 * alternately in the same run: sampling throughput without gradients, the time of the forward pass with the autograd
 * graph (sample + log q + action), the time of a whole reverse-KL training step (so backward + optimizer = step -
 * forward), and the growth of the process's resident memory during a training step (the kernel's high-water mark,
 * reset before the step through /proc/self/clear_refs), per sample of the batch.
 */
@Command(name = "models4d", mixinStandardHelpOptions = true,
        description = "Fig. 4 models: sampling rate, training-step time and memory per sample, multiscale vs fine-lattice flow alone.")
final class Models4dBench implements Callable<Integer> {

    @Option(names = "--group", defaultValue = "u1", description = "u1 or su3 (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--lattices", defaultValue = "4x4x4x4,8x8x8x8", split = ",", description = "Target lattices (default ${DEFAULT-VALUE}).")
    List<String> lattices;

    @Option(names = "--batch", defaultValue = "8", description = "Samples per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeats", defaultValue = "3", description = "Alternating repeats per measurement (default ${DEFAULT-VALUE}).")
    int repeats;

    @Override public Integer call() throws IOException {
        TorchRuntime.configure();
        if (batch < 2 || repeats < 1) throw new IllegalArgumentException("--batch " + batch + " / --repeats " + repeats + ": expected >= 2 / >= 1");
        GaugeGroup g = GaugeGroup.parse(group);
        boolean u1 = g instanceof U1;
        if (!u1 && !(g instanceof SUN)) throw new IllegalArgumentException("--group " + group + ": expected u1 or su3");
        FieldOptions options = FieldOptions.CPU_DOUBLE;
        System.out.printf(Locale.ROOT, "%s, float64, batch %d, %d threads, %d repeats%n", g.name(), batch, TorchRuntime.threads(), repeats);
        System.out.println("| lattice | model | params | samples/s (no grad) | forward s/step | train s/step | backward share | memory MB/sample (training) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String lat : lattices) {
            Lattice target = Lattice.parse(lat);
            int[] c = new int[target.dims()];
            java.util.Arrays.fill(c, 2);
            Lattice coarse = new Lattice(c);
            MultiscaleModel.Structure structure = new MultiscaleModel.Structure(UBMode.CONDITIONAL, 2);
            Fig2Experiment.Models models = u1
                    ? Fig2Experiment.u1Models(coarse, target, new U1Models.Spec(1, 8, new int[] {16}, 1.0,
                            new U1FineLatticeFlow.Architecture(8, 8, new int[] {8, 8}, 3), structure),
                            new U1FineLatticeFlow.Architecture(48, 8, new int[] {8, 8}, 3), options)
                    : Fig2Experiment.sunModels((SUN) g, coarse, target, new SUNModels.Spec(1, new int[] {16}, 8, 0.0,
                            new SUNFineLatticeFlow.Architecture(1, new int[] {16}, 8, 0.0), structure),
                            new SUNFineLatticeFlow.Architecture(1, new int[] {16}, 8, 0.0), options);
            Theory theory = new Theory(g, target, u1 ? 1.0 : 2.0);
            TrainingConfig tc = new TrainingConfig(batch, 1_000_000, new LearningRateSchedule("constant", 1e-3, 1e-3, 1, 1), 10.0,
                    1, options, 1_000_000, GradientEstimator.REPARAMETERIZED);
            List<String> kinds = Fig2Experiment.KINDS;
            List<Module> built = new ArrayList<>();
            List<ReverseKlTrainer<?>> trainers = new ArrayList<>();
            try (Rng init = new Rng(7, options); Rng rng = new Rng(8, options)) {
                for (String k : kinds) {
                    Module m = models.build(k, init);
                    built.add(m);
                    trainers.add(ReverseKlTrainer.forModel(m, theory, tc));
                }
                double[] sample = new double[kinds.size()];
                double[] forward = new double[kinds.size()];
                double[] step = new double[kinds.size()];
                double[] mem = new double[kinds.size()];
                for (int i = 0; i < kinds.size(); i++) {                                  // warm-up
                    sampleSeconds(built.get(i), rng);
                    trainers.get(i).trainStep();
                }
                for (int r = 0; r < repeats; r++) {
                    for (int i = 0; i < kinds.size(); i++) {
                        sample[i] += sampleSeconds(built.get(i), rng);
                        forward[i] += forwardSeconds(built.get(i), theory, rng);
                        long before = rssKb();
                        resetPeak();
                        long t0 = System.nanoTime();
                        trainers.get(i).trainStep();
                        step[i] += (System.nanoTime() - t0) * 1e-9;
                        mem[i] = Math.max(mem[i], Math.max(0, peakKb() - before) / 1024.0 / batch);
                    }
                }
                for (int i = 0; i < kinds.size(); i++) {
                    double fw = forward[i] / repeats;
                    double st = step[i] / repeats;
                    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.3f | %.3f | %.2f | %.2f |%n", target, kinds.get(i),
                            ReverseKlTrainer.parameterCount(built.get(i)), batch * repeats / sample[i], fw, st,
                            Math.max(0, st - fw) / st, mem[i]);
                }
            } finally {
                for (ReverseKlTrainer<?> t : trainers) t.close();
            }
        }
        return 0;
    }

    private double sampleSeconds(Module model, Rng rng) {
        long t0 = System.nanoTime();
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            ((Density) model).sample(batch, rng);
        }
        return (System.nanoTime() - t0) * 1e-9;
    }

    /** Sample with the autograd graph and evaluate the action: the forward part of a training step. */
    private double forwardSeconds(Module model, Theory theory, Rng rng) {
        long t0 = System.nanoTime();
        try (PointerScope s = new PointerScope()) {
            var smp = ((Density) model).sample(batch, rng);
            smp.logQ().add(theory.action().action(new GaugeField(theory.group(), theory.lattice(), smp.value()))).sum().item_double();
        }
        return (System.nanoTime() - t0) * 1e-9;
    }

    private static long rssKb() throws IOException { return status("VmRSS:"); }

    private static long peakKb() throws IOException { return status("VmHWM:"); }

    /** Resets the kernel's resident-set high-water mark of this process (Linux >= 4.0); ignored where not allowed. */
    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // the peak then includes earlier allocations; the printed memory is an upper bound
        }
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
        return 0;
    }
}
