package org.gaugeflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleComplex;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Density;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.flow.spectral.SpectralFlow;
import org.gaugeflow.flow.sun.SUNFineLatticeFlow;
import org.gaugeflow.group.SUN;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.multiscale.SUNModels;
import org.gaugeflow.physics.Theory;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.GradientEstimator;
import org.gaugeflow.training.LearningRateSchedule;
import org.gaugeflow.training.ReverseKlTrainer;
import org.gaugeflow.training.TrainingConfig;

/**
 * SU(3) flow benchmark (BENCHMARKS.md, "SU(3)"): samples per second and training steps per second of the 2D
 * SU(3) multiscale model (2x2 -> 8x8, 2 spectral iterations per staple-conditional model, one 12-layer fine flow
 * on top) and of the 12-layer fine-lattice flow alone, on 8x8 in float64 and float32, each with the spectral
 * flows' eigen-solver set to the decomposition before the closed form ("before": linalg_eigh of all phase
 * candidates), to LAPACK as now (linalg_eigvalsh of the candidates, linalg_eigh of the chosen one), to the
 * closed form (candidate from Tr P, {@link org.gaugeflow.group.Eigh3}) and to the default (AUTO) in the same run,
 * and as the same-run reference the time of one Wilson action evaluation (plaquettes) of the same batch.
 *
 * <p>Eigen-decomposition share: one sampling pass is run with a recording solver that keeps every batch of
 * SU(3) matrices the spectral flows hand to it; each solver is then timed alone on exactly those batches
 * (choosing the phase candidate and diagonalizing it), and "eig share" is that time over the time of a
 * sampling pass (or of a training step, which diagonalizes the same matrices once) with that solver. It
 * leaves out the flow's sorting and alcove lift. The summary line per model gives the solver-alone times and the
 * speedups over "before".
 *
 * <p>Run: {@code bench/run su3 [--batch B] [--reps R]}.
 */
public final class Su3Benchmark {
    private Su3Benchmark() {}

    public static void main(String[] args) {
        TorchRuntime.configure();
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Lattice target = Lattice.parse("8x8");
        SUN su3 = new SUN(3);
        System.out.printf(Locale.ROOT, "# SU(3) 8x8, batch %d, %d reps, %d threads, libtorch %s%n", batch, reps,
                TorchRuntime.threads(), TorchRuntime.libtorchVersion());
        System.out.println("model,precision,solver,samples_per_s,train_steps_per_s,eig_share_sampling,eig_share_training,action_ms,sample_over_action");
        SpectralFlow.Eigensolver initial = SpectralFlow.eigensolver();
        try {
            for (Precision p : new Precision[] {Precision.DOUBLE, Precision.FLOAT}) {
                FieldOptions o = new FieldOptions(p, "cpu");
                for (String kind : new String[] {"multiscale", "fine-flow"}) {
                    Module model;
                    try (Rng init = new Rng(1, o)) {
                        model = kind.equals("multiscale")
                                ? SUNModels.multiscale(su3, Lattice.parse("2x2"), target, new SUNModels.Spec(2, new int[] {16, 16}, 8, 0.5,
                                        new SUNFineLatticeFlow.Architecture(1, new int[] {16, 16}, 8, 0.5)), o, init)
                                : SUNModels.fineFlow(su3, target, new SUNFineLatticeFlow.Architecture(1, new int[] {16, 16}, 8, 0.5), o, init);
                    }
                    run(kind, p, (Density) model, model, su3, target, o, batch, reps);
                }
            }
        } finally {
            SpectralFlow.setEigensolver(initial);
        }
    }

    private static void run(String kind, Precision p, Density d, Module m, SUN su3, Lattice target, FieldOptions o, int batch,
            int reps) {
        WilsonAction action = new WilsonAction(6.0);
        String precision = p == Precision.DOUBLE ? "float64" : "float32";
        List<Tensor> recorded = new ArrayList<>();    // the SU(3) matrices P the spectral flows diagonalize
        try (Rng rng = new Rng(1, o)) {
            // warm-up, recording the matrices every spectral flow hands to its eigen-solver in one sampling pass
            SpectralFlow.Eigensolver plain = SpectralFlow.AUTO;
            SpectralFlow.setEigensolver(pm -> {
                recorded.add(Tensors.retain(pm.clone()));
                return plain.eigenvectors(pm);
            });
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                d.sample(batch, rng);
            } finally {
                SpectralFlow.setEigensolver(plain);
            }
            long matrices = 0;
            for (Tensor pm : recorded) matrices += pm.size(0);
            double actionMs;
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                GaugeField f = GaugeField.haar(su3, target, batch, rng);
                action.action(f);
                long a0 = System.nanoTime();
                for (int r = 0; r < 20; r++) action.action(f).sum().item_double();
                actionMs = (System.nanoTime() - a0) / 20e6;
            }
            String[] names = {"before", "linalg_eigh", "closed-form", "auto"};
            SpectralFlow.Eigensolver[] solvers = {Su3Benchmark::before, SpectralFlow.LINALG_EIGH, SpectralFlow.CLOSED_FORM,
                    SpectralFlow.AUTO};
            int count = solvers.length;
            double[] solverSec = new double[count];
            double[] sampleSec = new double[count];
            TrainingConfig tc = new TrainingConfig(batch, Long.MAX_VALUE, new LearningRateSchedule("constant", 1e-3, 0, 1, 1), 0, 1, o, 1,
                    GradientEstimator.REPARAMETERIZED);
            ReverseKlTrainer<?> trainer = ReverseKlTrainer.forModel(m, new Theory(su3, target, action.beta()), tc);
            for (int k = 0; k < count; k++) {
                SpectralFlow.setEigensolver(solvers[k]);
                solverSec[k] = timeSolver(solvers[k], recorded, reps);
                try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                    d.sample(batch, rng);                                      // warm-up with this solver
                }
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                        d.sample(batch, rng);
                    }
                }
                sampleSec[k] = (System.nanoTime() - t0) / 1e9 / reps;
                t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) trainer.trainStep();
                double trainSec = (System.nanoTime() - t0) / 1e9 / reps;
                System.out.printf(Locale.ROOT, "%s,%s,%s,%.1f,%.3f,%.2f,%.2f,%.2f,%.0f%n", kind, precision, names[k],
                        batch / sampleSec[k], 1 / trainSec, solverSec[k] / sampleSec[k], solverSec[k] / trainSec, actionMs,
                        sampleSec[k] * 1e3 / actionMs);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "# %s %s: %d matrices per sampling pass in %d calls; solver alone (ms, speedup over before):", kind, precision,
                    matrices, recorded.size()));
            for (int k = 0; k < count; k++) {
                line.append(String.format(Locale.ROOT, " %s %.1f (%.2f)", names[k], solverSec[k] * 1e3, solverSec[0] / solverSec[k]));
            }
            line.append("; sampling speedup over before:");
            for (int k = 1; k < count; k++) line.append(String.format(Locale.ROOT, " %s %.2f", names[k], sampleSec[0] / sampleSec[k]));
            System.out.println(line);
            trainer.close();
        } finally {
            SpectralFlow.setEigensolver(SpectralFlow.AUTO);
            for (Tensor pm : recorded) Tensors.release(pm);
        }
    }

    /**
     * The decomposition before the closed form (for comparison): linalg_eigh of all N(N-1)/2 + 1 candidates
     * H = a P + conj(a) P^dag and the eigenvectors of the one with the largest smallest gap.
     */
    private static Tensor before(Tensor p) {
        long n = p.size(-1), b = p.size(0);
        int count = (int) (n * (n - 1) / 2 + 1);
        Tensor[] hs = new Tensor[count];
        for (int c = 0; c < count; c++) {
            double phi = Math.PI * c / count;
            Tensor a = p.mul(new Scalar(new DoubleComplex(Math.cos(phi), Math.sin(phi))));
            hs[c] = a.add(Tensors.dagger(a));
        }
        T_TensorTensor_T eig = torch.linalg_eigh(torch.stack(new TensorVector(hs), 0));
        Tensor evals = eig.get0();
        Tensor gap = evals.narrow(-1, 1, n - 1).sub(evals.narrow(-1, 0, n - 1)).amin(new long[] {-1}, false);
        Tensor best = gap.argmax(new LongOptional(0), false);
        return eig.get1().gather(0, best.view(1, b, 1, 1).expand(1, b, n, n)).squeeze(0);
    }

    /** Seconds per sampling pass for the solver alone on the recorded batches (mean of reps, after a warm-up). */
    private static double timeSolver(SpectralFlow.Eigensolver solver, List<Tensor> batches, int reps) {
        try (NoGradGuard g = new NoGradGuard()) {
            long t0 = 0;
            for (int r = 0; r <= reps; r++) {
                if (r == 1) t0 = System.nanoTime();
                for (Tensor pm : batches) {
                    try (PointerScope s = new PointerScope()) {
                        solver.eigenvectors(pm);
                    }
                }
            }
            return (System.nanoTime() - t0) / 1e9 / reps;
        }
    }
}
