package org.gaugeflow.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.TorchHmcEngine;
import org.gaugeflow.io.ildg.IldgGaugeFields;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridChainTest {
    @TempDir Path tmp;

    private static HybridChain.Builder hybrid(Lattice lat, double beta, Schedule schedule, long seed) {
        return new HybridChain.Builder().theory(U1.INSTANCE, lat, beta).schedule(schedule).seed(seed)
                .hmc(new TorchHmcEngine(seed, FieldOptions.CPU_DOUBLE), new HmcParameters(beta, 1.0, 8, Integrator.OMELYAN))
                .model(new TiltedU1Proposal(lat, 0.3, false), FieldOptions.CPU_DOUBLE, "tilted", "tilted-0.3");
    }

    /** HMC alone through the chain (schedule (1, 0), no model): the same exact values. */
    @Test
    void hmcAloneReproducesExactPlaquette() throws Exception {
        Lattice lat = new Lattice(4, 4);
        ExactU1TwoD exact = new ExactU1TwoD(1.0, 16);
        HybridChain.Builder b = new HybridChain.Builder().theory(U1.INSTANCE, lat, 1.0).schedule(Schedule.hmcOnly())
                .seed(5).start(Start.hot())
                .hmc(new TorchHmcEngine(5, FieldOptions.CPU_DOUBLE), new HmcParameters(1.0, 1.0, 6, Integrator.OMELYAN));
        try (HybridChain chain = b.build()) {
            ChainTestSupport.Recorder rec = new ChainTestSupport.Recorder(0, 1, 50);
            chain.run(1500, rec);
            ChainTestSupport.assertWithin4Sigma("hmc plaquette", ChainTestSupport.array(rec.values), exact.plaquette());
            ChainTestSupport.assertWithin4Sigma("hmc Q^2", ChainTestSupport.array(rec.squares),
                    exact.topologicalChargeSquared());
        }
    }

    /** The field after every update, as bytes, and the update kinds and decisions. */
    private static final class Tape implements HybridChain.Listener {
        final List<byte[]> fields = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override public void onUpdate(UpdateRecord r, ChainState s) {
            try (PointerScope scope = new PointerScope()) {
                double[] d = Tensors.toArray(torch.view_as_real(s.field().links()));
                ByteBuffer bb = ByteBuffer.allocate(d.length * 8);
                bb.asDoubleBuffer().put(d);
                fields.add(bb.array());
            }
            events.add(r.update() + ":" + r.kind() + ":" + r.accepted() + ":" + r.logQ() + ":" + r.logWeight());
        }
    }

    /**
     * A chain stopped after 17 updates (its last checkpoint at 13) and resumed in a fresh object goes through
     * exactly the configurations of an uninterrupted run, bit for bit, with the same decisions.
     */
    @Test
    void resumedChainRepeatsTheUninterruptedSequenceBitForBit() throws Exception {
        Lattice lat = new Lattice(4, 4);
        Supplier<HybridChain.Builder> settings = () -> hybrid(lat, 1.0, new Schedule(2, 3), 33).proposalBatch(4);
        Tape full = new Tape();
        try (HybridChain chain = settings.get().build()) {
            chain.run(30, full);
        }
        Path ckpt = tmp.resolve("chain.ckpt");
        Tape first = new Tape();
        try (HybridChain chain = settings.get().build()) {
            chain.run(13, first);
            chain.writeCheckpoint(ckpt, null);
            chain.run(4, first); // work after the last checkpoint, lost in the "kill"
        }
        Tape resumed = new Tape();
        try (HybridChain chain = settings.get().resume(ckpt)) {
            assertEquals(13, chain.state().updates());
            chain.run(17, resumed);
            assertEquals(30, chain.state().updates());
        }
        for (int i = 0; i < 17; i++) assertArrayEquals(full.fields.get(i), first.fields.get(i), "update " + (i + 1));
        for (int i = 0; i < 17; i++) {
            assertEquals(full.events.get(13 + i), resumed.events.get(i));
            assertArrayEquals(full.fields.get(13 + i), resumed.fields.get(i), "update " + (14 + i));
        }
        assertTrue(full.events.stream().anyMatch(e -> e.contains("FLOW:true")), "some flow proposal accepted");
        assertTrue(full.events.stream().anyMatch(e -> e.contains("HMC:true")), "some trajectory accepted");
        // a different setting is refused
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hybrid(lat, 1.5, new Schedule(2, 3), 33).proposalBatch(4).resume(ckpt));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
    }

    /** A chain can start from an ILDG file; its first state is that configuration. */
    @Test
    void startsFromAnIldgFile() throws Exception {
        Lattice lat = new Lattice(4, 4);
        Path file = tmp.resolve("start.ildg");
        double[] expected;
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(U1.INSTANCE, lat, 1, rng);
            IldgGaugeFields.write(file, f, 0, IldgWriter.Options.of(Precision.DOUBLE,
                    new Provenance("test", "wilson", 1.0, "test", 0L, null)));
            expected = Tensors.toArray(torch.view_as_real(f.links()));
        }
        assertTrue(Files.size(file) > 0);
        try (HybridChain chain = hybrid(lat, 1.0, new Schedule(1, 1), 3).start(Start.file(file)).build();
             PointerScope s = new PointerScope()) {
            assertArrayEquals(expected, Tensors.toArray(torch.view_as_real(chain.state().field().links())), 0.0);
        }
    }
}
