package org.gaugeflow.multiscale;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.chain.UpdateKind;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.HmcRun;
import org.gaugeflow.hmc.HmcSummary;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.NativeHmcEngine;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The density of a 3D multiscale model is exact (Sec. 4): it integrates to one with respect to the product Haar
 * measure, and as an independence-Metropolis proposal it gives the plaquette of a native-engine HMC run.
 */
class HigherDimensionalExactnessTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void oneThread() { torch.set_num_threads(1); }

    /**
     * U(1) staple-conditional flows (heatbath prior at beta-tilde, {@code layers} spline couplings) whose weights are
     * all shifted by Gaussian noise of size {@code noise}: untrained, but neither Haar nor the heatbath.
     */
    static StapleConditionalFactory perturbed(double betaTilde, int layers, double noise, Rng init) {
        return (role, lattice, n) -> {
            U1StapleConditionalModel m = new U1StapleConditionalModel(n, layers, 6, new int[] {8}, betaTilde, F64, init);
            try (NoGradGuard g = new NoGradGuard(); PointerScope s = new PointerScope()) {
                TensorVector ps = m.parameters();
                for (long i = 0; i < ps.size(); i++) {
                    Tensor p = ps.get(i);
                    p.add_(init.normal(Tensors.shape(p)).mul(Tensors.scalar(noise)));
                }
            }
            return m;
        };
    }

    /**
     * E_Haar[q(U)] = 1: importance sampling of the normalization with Haar proposals, for a U(1) model 2x2x2 -> 4x4x2
     * (its second layer's slices come from 2D models with a doubling layer: slice coarse prior, checkerboard U_B,
     * U_perp with four staples), so every factor of Eq. (10) and every Jacobian is integrated over.
     */
    @Test
    void densityIsNormalizedOverTheProductHaarMeasure() {
        MultiscaleModel m;
        try (Rng init = new Rng(71, F64)) {
            m = MultiscaleModel.build(U1.INSTANCE, Lattice.parse("2x2x2"), Lattice.parse("4x4x2"),
                    new MultiscaleModel.Structure(UBMode.CHECKERBOARD, 2), perturbed(0.15, 1, 0.05, init), null);
        }
        int batches = 16;
        int batch = 4096;
        double[] q = new double[batches * batch];
        double sumLogQ = 0;
        try (Rng rng = new Rng(72, F64); NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < batches; i++) {
                try (PointerScope s = new PointerScope()) {
                    GaugeField h = GaugeField.haar(U1.INSTANCE, m.lattice(), batch, rng);
                    double[] lq = Tensors.toArray(m.logProb(h.links()));
                    for (int j = 0; j < batch; j++) {
                        q[i * batch + j] = Math.exp(lq[j]);
                        sumLogQ += lq[j];
                    }
                }
            }
        }
        double mean = 0;
        for (double v : q) mean += v;
        mean /= q.length;
        double var = 0;
        for (double v : q) var += (v - mean) * (v - mean);
        double sigma = Math.sqrt(var / (q.length - 1) / q.length);
        System.out.printf("E_Haar[q] = %.5f +- %.5f (N = %d, E_Haar[log q] = %.3f)%n", mean, sigma, q.length, sumLogQ / q.length);
        assertTrue(sumLogQ / q.length < -0.5, "E_Haar[log q] = -KL(Haar || q) should be clearly negative: the model is nearly Haar");
        assertTrue(sigma < 0.02, "sigma " + sigma + " too large for a meaningful test");
        assertTrue(Math.abs(mean - 1) < 4 * sigma, "E_Haar[q] = " + mean + " +- " + sigma + ", expected 1");
    }

    /**
     * An untrained 3D U(1) multiscale model (2x2x2 -> 4x4x2, conditional U_B) as the proposal of an
     * independence-Metropolis {@link HybridChain} reproduces the plaquette of a native-engine HMC run at beta = 0.5
     * within 4 sigma, both errors from the Gamma method (autocorrelations counted), each capped.
     */
    @Test
    void independenceMetropolisReproducesTheHmcPlaquette() throws Exception {
        double beta = 0.5;
        Lattice lat = Lattice.parse("4x4x2");
        MultiscaleModel m;
        try (Rng init = new Rng(73, F64)) {
            m = MultiscaleModel.build(U1.INSTANCE, Lattice.parse("2x2x2"), lat,
                    new MultiscaleModel.Structure(UBMode.CONDITIONAL, 2), perturbed(beta, 2, 0.03, init), null);
        }
        long t0 = System.nanoTime();
        List<Double> plaq = new ArrayList<>();
        double acceptance;
        HybridChain.Builder b = new HybridChain.Builder().theory(U1.INSTANCE, lat, beta).schedule(Schedule.independence())
                .seed(74).proposalBatch(1024).model(m, F64, "multiscale-3d", "none");
        try (HybridChain chain = b.build()) {
            assertTrue(chain.consistency().passed(), "sample log q != logProb");
            chain.run(40_000, (r, s) -> {
                if (r.update() > 200) plaq.add(r.observables()[0]);
            });
            acceptance = chain.state().acceptance(UpdateKind.FLOW);
        }
        GammaResult imh = GammaMethod.analyze(plaq.stream().mapToDouble(Double::doubleValue).toArray());
        long t1 = System.nanoTime();
        HmcSummary hmc;
        try (PointerScope s = new PointerScope()) {
            GaugeField f = GaugeField.unit(U1.INSTANCE, lat, 1, F64);
            List<HmcRun.Row> rows = new HmcRun(new NativeHmcEngine(75), new HmcParameters(beta, 1.0, 8, Integrator.OMELYAN), 1000)
                    .run(f, 500, 20_000, null);
            hmc = new HmcSummary(rows);
        }
        GammaResult ref = hmc.plaquette();
        double sigma = Math.hypot(imh.error(), ref.error());
        String msg = String.format("IMH 3D U(1) 4x4x2 beta=%.1f: <P> = %.5f +- %.5f (tau_int %.1f, acceptance %.3f, %.1f s); "
                + "HMC %.5f +- %.5f (tau_int %.1f, %.1f s); %.2f sigma", beta, imh.mean(), imh.error(), imh.tauInt(), acceptance,
                (t1 - t0) / 1e9, ref.mean(), ref.error(), ref.tauInt(), (System.nanoTime() - t1) / 1e9,
                (imh.mean() - ref.mean()) / sigma);
        System.out.println(msg);
        assertTrue(acceptance > 0.01, "acceptance too low for a meaningful test: " + msg);
        assertTrue(imh.error() > 0 && imh.error() < 0.005 && ref.error() > 0 && ref.error() < 0.003, "sigma too large: " + msg);
        assertTrue(Math.abs(imh.mean() - ref.mean()) < 4 * sigma, msg);
    }
}
