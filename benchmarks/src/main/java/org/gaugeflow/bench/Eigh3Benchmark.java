package org.gaugeflow.bench;

import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.group.Eigh3;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.gaugeflow.tensor.TorchRuntime;

/**
 * The closed-form 3 x 3 Hermitian eigensolver ({@link Eigh3}) against LibTorch's batched {@code linalg_eigh} on
 * the same batches, in the same run: H = a P + conj(a) P^dag of Haar SU(3) matrices P (the spectral flow's
 * input) with a random phase a, batches of 341 (one call of the 8x8 models at batch 16), 1364, 4096 and 65536,
 * float64 and float32: the full decomposition ({@code linalg_eigh} vs {@link Eigh3#eigh}) and eigenvalues alone
 * ({@code linalg_eigvalsh} vs {@link Eigh3#eigenvalues}). Each repetition times the four back to back after a
 * warm-up; reported are the best times over repetitions (the least disturbed by other load) and, last, the
 * ratios of the medians.
 *
 * <p>Run: {@code GAUGEFLOW_THREADS=1 bench/run eigh3 [--reps R]}.
 */
public final class Eigh3Benchmark {
    private Eigh3Benchmark() {}

    public static void main(String[] args) {
        TorchRuntime.configure();
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        SUN su3 = new SUN(3);
        System.out.printf(Locale.ROOT, "# Eigh3 vs linalg_eigh, 3x3 Hermitian, %d reps (best of; median in the last columns), %d threads,"
                + " libtorch %s%n", reps,
                TorchRuntime.threads(), TorchRuntime.libtorchVersion());
        System.out.println("precision,batch,linalg_eigh_ms,closed_form_ms,linalg_eigh_us_per_matrix,closed_form_us_per_matrix,ratio,"
                + "eigvalsh_ms,closed_form_eigenvalues_ms,eigenvalues_ratio,median_ratio,median_eigenvalues_ratio");
        for (Precision p : new Precision[] {Precision.DOUBLE, Precision.FLOAT}) {
            FieldOptions o = new FieldOptions(p, "cpu");
            for (int batch : new int[] {341, 1364, 4096, 65536}) {
                try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard(); Rng rng = new Rng(1, o)) {
                    Tensor u = su3.haar(rng, batch);
                    Tensor phase = torch.polar(torch.ones_like(rng.uniform(batch)), rng.uniform(batch).mul(new Scalar(Math.PI)));
                    Tensor a = u.mul(phase.view(batch, 1, 1));
                    Tensor h = a.add(Tensors.dagger(a)).contiguous();
                    int n = batch < 4096 ? 4 * reps : reps;        // small batches: more repetitions, same wall time
                    double[][] t = new double[4][n];
                    for (int k = 0; k < 4; k++) time(h, k);
                    for (int r = 0; r < n; r++) {
                        for (int k = 0; k < 4; k++) t[k][r] = time(h, k);
                    }
                    double me = min(t[0]), mc = min(t[1]), mv = min(t[2]), mcv = min(t[3]);
                    System.out.printf(Locale.ROOT, "%s,%d,%.3f,%.3f,%.3f,%.3f,%.2f,%.3f,%.3f,%.2f,%.2f,%.2f%n",
                            p == Precision.DOUBLE ? "float64" : "float32", batch, me * 1e3, mc * 1e3, me * 1e6 / batch,
                            mc * 1e6 / batch, me / mc, mv * 1e3, mcv * 1e3, mv / mcv, median(t[0]) / median(t[1]),
                            median(t[2]) / median(t[3]));
                }
            }
        }
    }

    /** Seconds of one call: 0 linalg_eigh, 1 Eigh3.eigh, 2 linalg_eigvalsh, 3 Eigh3.eigenvalues (CPU ops are synchronous). */
    private static double time(Tensor h, int which) {
        try (PointerScope s = new PointerScope()) {
            long t0 = System.nanoTime();
            switch (which) {
                case 0 -> torch.linalg_eigh(h);
                case 1 -> Eigh3.eigh(h);
                case 2 -> torch.linalg_eigvalsh(h);
                default -> Eigh3.eigenvalues(h);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static double min(double[] x) { return java.util.Arrays.stream(x).min().orElse(Double.NaN); }

    private static double median(double[] x) {
        double[] c = x.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }
}
