package org.gaugeflow.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.flow.prior.HaarDensity;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.hmc.TorchHmcEngine;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleRunTest {
    @TempDir Path tmp;

    private static HybridChain.Builder chain(long seed) {
        Lattice lat = new Lattice(4, 4);
        return new HybridChain.Builder().chainId("test-chain").theory(U1.INSTANCE, lat, 0.5).schedule(new Schedule(1, 2))
                .seed(seed).proposalBatch(8)
                .hmc(new TorchHmcEngine(seed, FieldOptions.CPU_DOUBLE), new HmcParameters(0.5, 1.0, 4, Integrator.OMELYAN))
                .model(new HaarDensity(U1.INSTANCE, lat), FieldOptions.CPU_DOUBLE, "haar",
                        "sha256:0000");
    }

    private static SampleRun.Settings settings(Path out, boolean resume, long stopAfter) {
        return new SampleRun.Settings(out, 40, 4, 5, 4, resume, Precision.DOUBLE, stopAfter);
    }

    /** A run stopped after 13 updates and resumed writes the same history, index and configurations. */
    @Test
    void resumedRunWritesTheSameFilesAsAnUninterruptedRun() throws Exception {
        Supplier<HybridChain.Builder> s = () -> chain(17);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Map<String, Object> full = SampleRun.run(s.get(), settings(a, false, -1), null, null);
        assertNull(SampleRun.run(s.get(), settings(b, false, 13), null, null));
        // the stopped run wrote 13 history rows but checkpointed at 10; configurations 4, 8, 12 exist
        assertEquals(14, Files.readAllLines(b.resolve(SampleRun.HISTORY)).size());
        assertTrue(Files.exists(b.resolve("ensemble/cfg_00000012.ildg")));
        Map<String, Object> resumed = SampleRun.run(s.get(), settings(b, true, -1), null, null);

        assertEquals(Files.readString(a.resolve(SampleRun.HISTORY)), Files.readString(b.resolve(SampleRun.HISTORY)));
        assertEquals(Files.readString(a.resolve("ensemble/index.csv")), Files.readString(b.resolve("ensemble/index.csv")));
        List<String> filesA = list(a.resolve("ensemble"));
        assertEquals(filesA, list(b.resolve("ensemble")));
        assertEquals(11, filesA.size()); // 10 configurations + index.csv
        for (String f : filesA) {
            if (!f.endsWith(".ildg")) continue;
            try (PointerScope scope = new PointerScope()) {
                IldgConfiguration ca = IldgReader.read(a.resolve("ensemble").resolve(f));
                IldgConfiguration cb = IldgReader.read(b.resolve("ensemble").resolve(f));
                assertArrayEquals(Tensors.toArray(torch.view_as_real(ca.links())),
                        Tensors.toArray(torch.view_as_real(cb.links())), 0.0, f);
                assertEquals(ca.computed(), cb.computed());
            }
        }
        assertEquals(new ObjectMapper().valueToTree(full.get("observables")),
                new ObjectMapper().valueToTree(resumed.get("observables")));
        assertEquals(full.get("acceptance"), resumed.get("acceptance"));

        JsonNode summary = new ObjectMapper().readTree(b.resolve(SampleRun.SUMMARY).toFile());
        assertEquals(40, summary.get("n").asLong());
        JsonNode plaq = summary.get("observables").get("plaquette");
        assertTrue(plaq.has("mean") && plaq.has("error") && plaq.has("tau_int"));
        assertTrue(summary.get("acceptance").has("hmc") && summary.get("acceptance").has("flow"));
        assertTrue(summary.get("observables").has("topological_charge_squared"));
        String xml = Files.readString(b.resolve("ensemble/cfg_00000008.ildg"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(xml.contains("<step>8</step>") && xml.contains("sha256:0000") && xml.contains("<beta>0.5</beta>")
                && xml.contains("gaugeflow/test-chain/cfg_00000008.ildg"), "provenance in the record XML");
    }

    @Test
    void refusesToOverwriteAChainWithoutResume() throws Exception {
        Path a = tmp.resolve("a");
        SampleRun.run(chain(3), new SampleRun.Settings(a, 6, 0, 5, 0, false, Precision.DOUBLE, -1), null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleRun.run(chain(3),
                new SampleRun.Settings(a, 6, 0, 5, 0, false, Precision.DOUBLE, -1), null, null));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    private static HybridChain.Builder haarChain(double beta, Schedule schedule) {
        Lattice lat = new Lattice(4, 4);
        return new HybridChain.Builder().chainId("tail").theory(U1.INSTANCE, lat, beta).schedule(schedule).seed(5)
                .proposalBatch(50)
                .hmc(new TorchHmcEngine(5, FieldOptions.CPU_DOUBLE), new HmcParameters(beta, 1.0, 4, Integrator.OMELYAN))
                .model(new HaarDensity(U1.INSTANCE, lat), FieldOptions.CPU_DOUBLE, "haar", "sha256:0000");
    }

    /**
     * The proposals' importance ratios are recorded and their tail judged: Haar proposals for 2D U(1) on 4x4 have
     * log p/q = beta sum_P cos theta_P + const, of spread beta sqrt(16 / 2); light at beta = 0.1, far too heavy at
     * beta = 4 (docs/chains.md, Reliability). Only an independence chain is judged by it.
     */
    @Test
    void flowProposalsWithAHeavyTailMakeAnIndependenceChainUnreliable() throws Exception {
        Map<String, Object> light = SampleRun.run(haarChain(0.1, Schedule.independence()),
                new SampleRun.Settings(tmp.resolve("light"), 1000, 0, 500, 100, false, Precision.DOUBLE, -1), null, null);
        @SuppressWarnings("unchecked") Map<String, Object> lp = (Map<String, Object>) light.get("proposals");
        assertEquals(1000, ((Number) lp.get("count")).intValue());
        assertTrue(((Number) lp.get("pareto_k")).doubleValue() < 0.5, lp.toString());
        assertEquals(true, light.get("reliable"), String.valueOf(light.get("reason")));
        List<String> rows = Files.readAllLines(tmp.resolve("light").resolve(SampleRun.HISTORY));
        assertTrue(rows.get(0).startsWith("update,kind,accepted,log_q,log_weight,proposal_log_p_over_q,plaquette"),
                rows.get(0));
        for (String row : rows.subList(1, rows.size())) {   // -S - log q of the proposal; log q (Haar) is 0
            String[] f = row.split(",");
            if (f[2].equals("1")) assertEquals(Double.parseDouble(f[4]), Double.parseDouble(f[5]), 1e-9, row);
        }

        Map<String, Object> heavy = SampleRun.run(haarChain(4, Schedule.independence()),
                new SampleRun.Settings(tmp.resolve("heavy"), 1000, 0, 500, 100, false, Precision.DOUBLE, -1), null, null);
        @SuppressWarnings("unchecked") Map<String, Object> hp = (Map<String, Object>) heavy.get("proposals");
        assertTrue(((Number) hp.get("pareto_k")).doubleValue() > 0.7, hp.toString());
        assertEquals(false, heavy.get("reliable"));
        assertTrue(String.valueOf(heavy.get("reason")).contains("flow proposals: Pareto k-hat"), String.valueOf(heavy.get("reason")));

        // the same proposals in a hybrid chain: recorded, not a verdict (HMC moves the chain whatever q is)
        Map<String, Object> hybrid = SampleRun.run(haarChain(4, new Schedule(1, 1)),
                new SampleRun.Settings(tmp.resolve("hybrid"), 400, 0, 400, 40, false, Precision.DOUBLE, -1), null, null);
        assertTrue(hybrid.containsKey("proposals"));
        assertTrue(!String.valueOf(hybrid.get("reason")).contains("flow proposals"), String.valueOf(hybrid.get("reason")));
    }

    /** A chain begun before the proposal column existed resumes in its own format. */
    @Test
    void aHistoryWithoutTheProposalColumnResumesInItsOwnFormat() throws Exception {
        Path a = tmp.resolve("legacy");
        assertNull(SampleRun.run(chain(17), settings(a, false, 13), null, null));
        Path h = a.resolve(SampleRun.HISTORY);
        List<String> old = Files.readAllLines(h).stream().map(l -> {
            List<String> f = new java.util.ArrayList<>(List.of(l.split(",", -1)));
            f.remove(5);
            return String.join(",", f);
        }).toList();
        Files.write(h, old);
        Map<String, Object> resumed = SampleRun.run(chain(17), settings(a, true, -1), null, null);
        List<String> rows = Files.readAllLines(h);
        assertEquals(old.get(0), rows.get(0));
        assertEquals(41, rows.size());
        for (String r : rows) assertEquals(old.get(0).split(",").length, r.split(",", -1).length, r);
        assertTrue(!resumed.containsKey("proposals"));
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
