package org.gaugeflow.hmc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.TorchRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Native memory stays flat over many HMC trajectories (every engine call runs inside PointerScopes). */
class HmcNativeMemoryTest {

    @ParameterizedTest
    @CsvSource({"native, 2000", "torch, 300"})
    void liveNativeObjectsDoNotGrow(String engineName, int trajectories) {
        TorchRuntime.configure();
        try (PointerScope outer = new PointerScope(); HmcEngine engine = HmcTestSupport.engine(engineName, 1)) {
            GaugeField f = GaugeField.unit(GaugeGroup.parse("su2"), Lattice.parse("4x4"), 4, FieldOptions.CPU_DOUBLE);
            HmcRun run = new HmcRun(engine, new HmcParameters(2.0, 0.5, 2, Integrator.OMELYAN), 1000);
            run.run(f, 0, trajectories / 10, null);
            long count = Pointer.totalCount();
            long bytes = Pointer.physicalBytes();
            run.run(f, 0, trajectories, null);
            long countGrowth = Pointer.totalCount() - count;
            long byteGrowth = Pointer.physicalBytes() - bytes;
            assertTrue(countGrowth < 10, "live native objects grew by " + countGrowth);
            assertTrue(byteGrowth < 64L << 20, "resident memory grew by " + (byteGrowth >> 20) + " MiB");
        }
    }
}
