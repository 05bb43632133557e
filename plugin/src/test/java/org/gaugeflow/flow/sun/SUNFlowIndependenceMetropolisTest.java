package org.gaugeflow.flow.sun;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.chain.UpdateKind;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.flow.Sample;
import org.gaugeflow.group.SUN;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.HmcRun;
import org.gaugeflow.hmc.HmcSummary;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.NativeHmcEngine;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.observables.Observable;
import org.gaugeflow.observables.StandardObservables;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An untrained fine-lattice flow (random weights, init_scale 0.2: far from Haar and from the target) as the proposal
 * of an independence-Metropolis {@link HybridChain} reproduces the plaquette of a native-engine HMC run at the same
 * beta within 4 sigma, both errors from the Gamma method (autocorrelations included): a check of the exactness of the
 * flow's density in 3D, not of training. 3D SU(2) on 2^3 at beta = 0.3, where the action's own spread
 * (24 plaquettes) still allows a useful acceptance.
 */
class SUNFlowIndependenceMetropolisTest {
    static final FieldOptions F64 = FieldOptions.CPU_DOUBLE;

    @BeforeAll
    static void threads() { TorchRuntime.configure(); }

    @Test
    void independenceMetropolisReproducesTheHmcPlaquetteInThreeDimensions() throws Exception {
        SUN g = new SUN(2);
        Lattice lat = Lattice.parse("2x2x2");
        double beta = 0.3;
        SUNFineLatticeFlow flow;
        try (Rng init = new Rng(17, F64)) {
            flow = new SUNFineLatticeFlow(g, lat, new SUNFineLatticeFlow.Architecture(1, new int[] {8}, 4, 0.2), F64, init);
        }
        long t0 = System.nanoTime();
        // the proposal itself: log q spread and its plaquette without reweighting
        double spread;
        double raw;
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(5, F64); NoGradGuard ng = new NoGradGuard()) {
            Sample x = flow.sample(256, rng);
            spread = x.logQ().std().item_double();
            raw = WilsonAction.averagePlaquette(new GaugeField(g, lat, x.value())).mean().item_double();
        }

        List<Observable> plaquetteOnly = List.of(Observable.of(StandardObservables.PLAQUETTE, WilsonAction::averagePlaquette));
        List<Double> series = new ArrayList<>();
        double acceptance;
        HybridChain.Builder b = new HybridChain.Builder().theory(g, lat, beta).schedule(Schedule.independence()).seed(23)
                .proposalBatch(500).observables(plaquetteOnly).model(flow, F64, "untrained 3D SU(2) flow", "test");
        try (HybridChain chain = b.build()) {
            chain.run(6000, (r, st) -> series.add(r.observables()[0]));
            acceptance = chain.state().acceptance(UpdateKind.FLOW);
        }
        GammaResult im = GammaMethod.analyze(series.stream().mapToDouble(Double::doubleValue).toArray());
        long t1 = System.nanoTime();

        HmcSummary hmc;
        try (PointerScope s = new PointerScope()) {
            GaugeField f = GaugeField.unit(g, lat, 1, F64);
            hmc = new HmcSummary(new HmcRun(new NativeHmcEngine(29), new HmcParameters(beta, 1.0, 8, Integrator.OMELYAN), 1000)
                    .run(f, 200, 10000, null));
        }
        GammaResult ref = hmc.plaquette();
        long t2 = System.nanoTime();
        double sigma = Math.sqrt(im.error() * im.error() + ref.error() * ref.error());
        String msg = String.format("3D SU(2) 2^3 beta=%.2f: independence Metropolis %.5f +- %.5f (tau_int %.2f, acceptance %.3f, "
                + "%.1f s), native HMC %.5f +- %.5f (tau_int %.2f, %.1f s): %.2f sigma; proposals: plaquette %.4f, "
                + "log q spread %.2f", beta, im.mean(), im.error(), im.tauInt(), acceptance, (t1 - t0) * 1e-9, ref.mean(),
                ref.error(), ref.tauInt(), (t2 - t1) * 1e-9, (im.mean() - ref.mean()) / sigma, raw, spread);
        System.out.println(msg);
        // the test means something: the proposal is far from Haar and from the target, and the errors are small
        assertTrue(spread > 0.5, "log q spread too small (close to Haar): " + msg);
        assertTrue(Math.abs(raw - ref.mean()) > 0.05, "the proposals alone already give the plaquette: " + msg);
        assertTrue(acceptance > 0.2, "acceptance too low: " + msg);
        assertTrue(im.error() < 0.008 && ref.error() < 0.003, "errors too large: " + msg);
        assertTrue(Math.abs(im.mean() - ref.mean()) <= 4 * sigma, msg);
    }
}
