package org.gaugeflow.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The environment conventions of torchrun and Slurm, and the fault handling of a process group: two ranks as two
 * threads of this JVM (each with its own Gloo context), one of which hangs; the other's collective times out after
 * the group's timeout and its error names the hung rank.
 */
class DistributedGroupTest {

    @Test
    void torchrunAndSlurmEnvironmentsGiveTheRank() {
        DistributedContext t = DistributedContext.fromEnvironment(Map.of("WORLD_SIZE", "4", "RANK", "2", "LOCAL_RANK", "0",
                "MASTER_ADDR", "node7", "MASTER_PORT", "29400", "TORCHELASTIC_RUN_ID", "x", "TORCHELASTIC_USE_AGENT_STORE", "True"));
        assertEquals(new DistributedContext(2, 4, 0, "node7", 29400, "torchrun", true, 0), t);
        assertTrue(t.distributed() && !t.hostsStore());
        DistributedContext s = DistributedContext.fromEnvironment(Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "8",
                "SLURM_LOCALID", "0", "SLURM_LAUNCH_NODE_IPADDR", "10.0.0.5"));
        assertEquals(new DistributedContext(0, 8, 0, "10.0.0.5", DistributedContext.DEFAULT_PORT, "slurm", false, 0), s);
        assertTrue(s.hostsStore());
        DistributedContext m = DistributedContext.fromEnvironment(Map.of("SLURM_PROCID", "3", "SLURM_NTASKS", "8",
                "SLURM_LAUNCH_NODE_IPADDR", "10.0.0.5", "MASTER_ADDR", "10.0.0.9", "MASTER_PORT", "1234"));
        assertEquals("10.0.0.9", m.masterAddr());
        assertEquals(1234, m.masterPort());
        assertTrue(!DistributedContext.fromEnvironment(Map.of()).distributed());
        assertTrue(!DistributedContext.fromEnvironment(Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "1")).distributed());
        assertTrue(!DistributedContext.fromEnvironment(Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "8",
                "SLURM_LAUNCH_NODE_IPADDR", "h", "GAUGEFLOW_DISTRIBUTED", "off")).distributed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributedContext.fromEnvironment(
                Map.of("WORLD_SIZE", "2", "RANK", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
        assertEquals("rank 2: expected 0 <= rank < world size 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DistributedContext.fromEnvironment(Map.of("WORLD_SIZE", "two", "RANK", "0")));
        assertEquals("WORLD_SIZE='two': expected an integer", e.getMessage());
    }

    @Test
    void aHungRankTimesOutAndIsNamedAndAFailedRankIsNamedWithItsMessage() throws Exception {
        TCPStoreOptions so = new TCPStoreOptions();
        so.port((short) 0);
        so.isServer(true);
        so.numWorkers(new SizeTPointer(1).put(2));
        so.waitWorkers(false);
        so.timeout(new Milliseconds(20_000));
        TCPStore server = new TCPStore("127.0.0.1", so);
        int port = server.getPort() & 0xFFFF;
        DistributedOptions opts = DistributedOptions.DEFAULTS.withTimeout(Duration.ofSeconds(3));
        // rank 1 hangs: it never calls the second all-reduce
        DistributedGroup[] hang = pair(port, opts, "hang");
        long t0 = System.nanoTime();
        RankFailureException f = secondAllreduceFails(hang);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("hung rank: error after %.1f s: %s%n", seconds, f.getMessage());
        assertEquals(List.of(1), f.ranks());
        assertTrue(f.getMessage().startsWith("rank 1 stopped responding (died or hung) during step 2; rank 0 stops"), f.getMessage());
        assertTrue(seconds >= 2.5 && seconds < 3 + 5 + 5, "timeout 3 s + naming grace 5 s: " + seconds);
        assertEquals(f, hang[0].failure("step 3", new RuntimeException("Connection closed by peer")), "the first diagnosis stands");
        // rank 1 fails by itself and says so before it stops
        DistributedGroup[] fail = pair(port, opts, "fail");
        fail[1].reportFailure("out of memory");
        RankFailureException g = secondAllreduceFails(fail);
        assertEquals(List.of(1), g.ranks());
        assertEquals("rank 1 failed (out of memory); rank 0 stops during step 2", g.getMessage());
        server.close();
    }

    /** Ranks 0 and 1 as two threads of this JVM, joined under {@code name}; both sum once. */
    private static DistributedGroup[] pair(int port, DistributedOptions opts, String name) throws Exception {
        CompletableFuture<DistributedGroup> r1 = CompletableFuture.supplyAsync(() -> DistributedGroup.join(
                new DistributedContext(1, 2, 1, "127.0.0.1", port, "test", true, 0), opts, false, name));
        DistributedGroup g0 = DistributedGroup.join(new DistributedContext(0, 2, 0, "127.0.0.1", port, "test", true, 0), opts, false, name);
        DistributedGroup g1 = r1.get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> g1.allreduce(Tensors.fromArray(new double[] {2}, 1)));
        Tensor t = Tensors.fromArray(new double[] {1}, 1);
        g0.allreduce(t);
        first.get(30, TimeUnit.SECONDS);
        assertEquals(3.0, t.item_double());
        return new DistributedGroup[] {g0, g1};
    }

    /** Rank 0's second all-reduce, which rank 1 never joins, and the failure it leads to. */
    private static RankFailureException secondAllreduceFails(DistributedGroup[] g) {
        return assertThrows(RankFailureException.class, () -> {
            try {
                g[0].allreduce(Tensors.fromArray(new double[] {1}, 1));
            } catch (RuntimeException e) {
                throw g[0].failure("step 2", e);
            }
        });
    }
}
