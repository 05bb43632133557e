package org.gaugeflow.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.TorchHmcEngine;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.junit.jupiter.api.Test;

/** A hybrid chain's updates keep no native objects: the live JavaCPP object count stays flat. */
class ChainNativeMemoryTest {

    @Test
    void liveNativeObjectsStayFlatOverThousandsOfUpdates() throws Exception {
        Lattice lat = new Lattice(4, 4);
        HybridChain.Builder b = new HybridChain.Builder().theory(U1.INSTANCE, lat, 1.0).schedule(new Schedule(1, 4))
                .seed(3).proposalBatch(16)
                .hmc(new TorchHmcEngine(3, FieldOptions.CPU_DOUBLE), new HmcParameters(1.0, 1.0, 3, Integrator.LEAPFROG))
                .model(new TiltedU1Proposal(lat, 0.3, false), FieldOptions.CPU_DOUBLE, "tilted", "none");
        try (HybridChain chain = b.build()) {
            chain.run(500, null);
            long countBefore = Pointer.totalCount();
            long bytesBefore = Pointer.physicalBytes();
            chain.run(3000, null);
            long countGrowth = Pointer.totalCount() - countBefore;
            long growth = Pointer.physicalBytes() - bytesBefore;
            assertTrue(countGrowth < 20, "live native objects grew by " + countGrowth + " over 3000 updates");
            assertTrue(growth < 128L << 20, "resident memory grew by " + (growth >> 20) + " MiB over 3000 updates");
        }
    }
}
