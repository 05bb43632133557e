package org.gaugeflow.hmc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Same start field and momenta: native and LibTorch engines give the same final field and Delta H to 1e-10. */
class HmcEngineEquivalenceTest {

    @ParameterizedTest
    @CsvSource({"u1, 6x4, 2.0, leapfrog", "u1, 6x4, 2.0, omelyan", "su2, 4x3x4, 2.3, leapfrog",
            "su2, 4x3x4, 2.3, omelyan", "su3, 4x4x2x2, 5.6, leapfrog", "su3, 4x4x2x2, 5.6, omelyan",
            "su3, 6x6, 6.0, omelyan"})
    void enginesAgree(String group, String lattice, double beta, String integrator) {
        TorchRuntime.configure();
        try (PointerScope scope = new PointerScope();
             TorchHmcEngine torchEngine = new TorchHmcEngine(3, org.gaugeflow.tensor.FieldOptions.CPU_DOUBLE);
             NativeHmcEngine nativeEngine = new NativeHmcEngine(3)) {
            HmcParameters params = new HmcParameters(beta, 1.0, 8, Integrator.parse(integrator));
            GaugeField start = HmcTestSupport.hotField(group, Lattice.parse(lattice), 2, 17);
            Tensor p0 = torchEngine.randomMomenta(start);

            GaugeField fn = HmcTestSupport.copy(start);
            Tensor pn = p0.clone();
            double[] h0n = nativeEngine.hamiltonian(fn, pn, beta);
            nativeEngine.integrate(fn, pn, params);
            double[] h1n = nativeEngine.hamiltonian(fn, pn, beta);

            GaugeField ft = HmcTestSupport.copy(start);
            Tensor pt = p0.clone();
            double[] h0t = torchEngine.hamiltonian(ft, pt, beta);
            torchEngine.integrate(ft, pt, params);
            double[] h1t = torchEngine.hamiltonian(ft, pt, beta);

            double fieldDiff = HmcTestSupport.maxAbsDiff(fn.links(), ft.links());
            double momentumDiff = HmcTestSupport.maxAbsDiff(pn, pt);
            assertTrue(HmcTestSupport.maxAbsDiff(fn.links(), start.links()) > 1e-3, "the trajectory moved the field");
            assertTrue(fieldDiff < 1e-10, "field differs by " + fieldDiff);
            assertTrue(momentumDiff < 1e-10, "momenta differ by " + momentumDiff);
            for (int b = 0; b < 2; b++) {
                double dhn = h1n[b] - h0n[b];
                double dht = h1t[b] - h0t[b];
                assertTrue(Math.abs(dhn - dht) < 1e-10, "Delta H native " + dhn + " torch " + dht);
                assertTrue(Math.abs(h0n[b] - h0t[b]) < 1e-9, "H0 native " + h0n[b] + " torch " + h0t[b]);
            }
            torchEngine.close();
        }
    }
}
