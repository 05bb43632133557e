package org.gaugeflow.distributed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BackendOptional;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.ProcessGroup;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A c10d process group of the ranks of a {@link DistributedContext}: the rendezvous store ({@code TCPStore} at
 * MASTER_ADDR:MASTER_PORT, hosted by rank 0 or by the launcher, keys under {@code gaugeflow/attempt_N/group_K/} for
 * torchrun's restart N and the K-th group this process joins), a Gloo
 * backend for CPU tensors, an NCCL backend for CUDA tensors when the tensors live on a CUDA device (the CUDA build of
 * LibTorch only), and the {@code ProcessGroup} that dispatches each collective to the backend of its tensors' device.
 *
 * <p>It also names the rank behind a failure. Every collective is bounded by the timeout
 * ({@link DistributedOptions#timeout}); a rank that dies breaks its connections at once, a rank that hangs lets the
 * others' collectives time out. A rank that sees a collective fail writes {@code seen/RANK} into the store, a rank that
 * fails by itself writes {@code failed/RANK} with its message; {@link #failure} waits a few seconds for the other
 * ranks' keys and blames those that wrote {@code failed/}, else those that wrote nothing (dead or hung).
 *
 * <p>Native objects (store, backends, group) are held here and released by {@link #close()}.
 */
public final class DistributedGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedGroup.class);
    private static final String FAILED = "failed/";
    private static final String SEEN = "seen/";
    /** Where each surviving rank records its one-line diagnosis (the launcher reports it). */
    static final String DIAGNOSIS = "diagnosis/";
    /** The longest wait for the other ranks' failure reports. */
    private static final long GRACE_MS = 5_000;
    /** Groups joined by this process so far: each gets its own key prefix in the store. */
    private static final java.util.concurrent.atomic.AtomicInteger JOINED = new java.util.concurrent.atomic.AtomicInteger();

    private final DistributedContext context;
    private final DistributedOptions options;
    private final TCPStore tcp;
    private final Store store;
    private final ProcessGroupGloo gloo;
    private final Backend nccl;
    private final ProcessGroup group;
    private volatile RankFailureException diagnosed;
    private volatile boolean reported;
    private boolean closed;

    private DistributedGroup(DistributedContext context, DistributedOptions options, TCPStore tcp, Store store,
            ProcessGroupGloo gloo, Backend nccl, ProcessGroup group) {
        this.context = context;
        this.options = options;
        this.tcp = tcp;
        this.store = store;
        this.gloo = gloo;
        this.nccl = nccl;
        this.group = group;
    }

    /**
     * Joins the group of {@code context} (blocks until every rank has arrived, at most the timeout); {@code cuda}: the
     * tensors live on CUDA devices (an NCCL backend is added for them).
     */
    public static DistributedGroup join(DistributedContext context, DistributedOptions options, boolean cuda) {
        return join(context, options, cuda, "group_" + JOINED.getAndIncrement());
    }

    /** {@link #join(DistributedContext, DistributedOptions, boolean)} with the store keys under {@code name}. */
    static DistributedGroup join(DistributedContext context, DistributedOptions options, boolean cuda, String name) {
        if (!context.distributed()) throw new IllegalArgumentException("process group of a single process: expected WORLD_SIZE > 1");
        Milliseconds timeout = new Milliseconds(options.timeout().toMillis());
        String where = context.masterAddr() + ":" + context.masterPort();
        TCPStore tcp;
        Store store;
        ProcessGroupGloo gloo;
        try {
            TCPStoreOptions so = new TCPStoreOptions();
            so.port((short) context.masterPort());
            so.isServer(context.hostsStore());
            so.numWorkers(new SizeTPointer(1).put(context.worldSize()));
            so.waitWorkers(false);
            so.timeout(timeout);
            tcp = new TCPStore(context.masterAddr(), so);
            store = new PrefixStore("gaugeflow/attempt_" + context.restartCount() + "/" + name, tcp);
            ProcessGroupGloo.Options go = ProcessGroupGloo.Options.create(timeout);
            for (org.bytedeco.pytorch.gloo.Device d : glooDevices(context)) go.devices().push_back(d);
            gloo = new ProcessGroupGloo(store, context.rank(), context.worldSize(), go);
        } catch (RuntimeException e) {
            String hint = context.launcher().equals("slurm")
                    ? "; under Slurm start one task per rank with srun (the batch script alone is task 0 of SLURM_NTASKS)" : "";
            throw new RankFailureException(List.of(), String.format(Locale.ROOT,
                    "rendezvous of %d ranks at %s failed for rank %d within %d s (%s)%s", context.worldSize(), where,
                    context.rank(), options.timeout().toSeconds(), firstLine(e), hint), e);
        }
        ProcessGroup pg = new ProcessGroup(context.rank(), context.worldSize());
        pg.setBackend(torch.DeviceType.CPU, ProcessGroup.BackendType.GLOO, new BackendOptional(gloo));
        Backend nccl = null;
        if (cuda) {
            nccl = NcclBackend.create(store, context, timeout);
            pg.setBackend(torch.DeviceType.CUDA, ProcessGroup.BackendType.NCCL, new BackendOptional(nccl));
            pg.setDefaultBackend(ProcessGroup.BackendType.NCCL);
        } else {
            pg.setDefaultBackend(ProcessGroup.BackendType.GLOO);
        }
        LOG.debug("joined {} ({}{})", context.describe(), "gloo", cuda ? " + nccl" : "");
        return new DistributedGroup(context, options, tcp, store, gloo, nccl, pg);
    }

    /** GLOO_SOCKET_IFNAME (comma-separated interfaces) as torch reads it; on one machine the loopback address. */
    private static List<org.bytedeco.pytorch.gloo.Device> glooDevices(DistributedContext context) {
        List<org.bytedeco.pytorch.gloo.Device> out = new ArrayList<>();
        String ifs = System.getenv("GLOO_SOCKET_IFNAME");
        if (ifs != null && !ifs.isBlank()) {
            for (String i : ifs.split(",")) if (!i.isBlank()) out.add(ProcessGroupGloo.createDeviceForInterface(i.trim()));
        } else if (isLoopback(context.masterAddr())) {
            out.add(ProcessGroupGloo.createDeviceForHostname("127.0.0.1"));
        } else {
            out.add(ProcessGroupGloo.createDefaultDevice());
        }
        return out;
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /** The context this group was joined with. */
    public DistributedContext context() { return context; }

    /** Its options. */
    public DistributedOptions options() { return options; }

    /** This process's rank. */
    public int rank() { return context.rank(); }

    /** The number of ranks. */
    public int size() { return context.worldSize(); }

    /** The c10d process group (for the c10d Reducer and bucketed broadcasts). */
    public ProcessGroup processGroup() { return group; }

    /** The rendezvous store, under this run's prefix. */
    public Store store() { return store; }

    /** Sums {@code t} over the ranks in place (waits for the result). */
    public void allreduce(Tensor t) {
        group.allreduce(new TensorVector(t))._wait();
    }

    /** Copies rank {@code root}'s {@code t} into every rank's {@code t} (waits). */
    public void broadcast(Tensor t, int root) {
        group.broadcast(new TensorVector(t), new BroadcastOptions().rootRank(root))._wait();
    }

    /**
     * The exception to raise after {@code cause} broke a collective during {@code during} (see the class comment);
     * remembers the first diagnosis, so later calls return the same one.
     */
    public synchronized RankFailureException failure(String during, Throwable cause) {
        if (diagnosed != null) return diagnosed;
        if (cause instanceof RankFailureException r) return diagnosed = r;
        diagnosed = diagnose(during, cause);
        try {
            store.set(DIAGNOSIS + rank(), bytes(diagnosed.getMessage()));
        } catch (RuntimeException e) {
            LOG.debug("could not record the diagnosis of rank {}: {}", rank(), firstLine(e));
        }
        return diagnosed;
    }

    private RankFailureException diagnose(String during, Throwable cause) {
        String msg = firstLine(cause);
        int me = rank();
        if (!looksLikeCommunication(msg)) {
            reportFailure(msg);
            return new RankFailureException(List.of(me),
                    "rank " + me + " failed during " + during + ": " + msg, cause);
        }
        Map<Integer, String> failed = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        try {
            store.setTimeout(new Milliseconds(GRACE_MS));
            store.set(SEEN + me, bytes(during));
            long deadline = System.currentTimeMillis() + Math.min(GRACE_MS, options.timeout().toMillis());
            while (true) {
                missing.clear();
                for (int r = 0; r < size(); r++) {
                    if (r == me || failed.containsKey(r)) continue;
                    if (store.check(new StringVector(FAILED + r))) failed.put(r, text(store.get(FAILED + r)));
                    else if (!store.check(new StringVector(SEEN + r))) missing.add(r);
                }
                if (missing.isEmpty() || System.currentTimeMillis() > deadline) break;
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException storeGone) {
            // the store does not answer: its host is gone
            if (context.agentStore()) {
                return new RankFailureException(List.of(), "rank " + me + " stops during " + during + ": a collective failed ("
                        + msg + ") and the launcher's store at " + context.masterAddr() + ":" + context.masterPort()
                        + " does not answer (launcher gone?)", cause);
            }
            return new RankFailureException(List.of(0), "rank 0 (host of the rendezvous store) died or hung during "
                    + during + "; rank " + me + " stops (" + msg + ")", cause);
        }
        if (!failed.isEmpty()) {
            var first = failed.entrySet().iterator().next();
            return new RankFailureException(List.copyOf(failed.keySet()), "rank " + first.getKey() + " failed ("
                    + first.getValue() + "); rank " + me + " stops during " + during, cause);
        }
        if (!missing.isEmpty()) {
            String who = missing.size() == 1 ? "rank " + missing.get(0) : "ranks " + join(missing);
            return new RankFailureException(missing, who + " stopped responding (died or hung) during " + during
                    + "; rank " + me + " stops (" + msg + ")", cause);
        }
        return new RankFailureException(List.of(), "the other ranks gave up on rank " + me + " during " + during
                + " (was it stopped, too slow, or did the network fail?); rank " + me + " stops (" + msg + ")", cause);
    }

    /** Tells the other ranks that this rank fails with {@code message} (first report only; best effort). */
    public synchronized void reportFailure(String message) {
        if (reported || diagnosed != null) return;
        reported = true;
        try {
            store.setTimeout(new Milliseconds(GRACE_MS));
            store.set(FAILED + rank(), bytes(message == null ? "unknown error" : message.replace('\n', ' ')));
        } catch (RuntimeException e) {
            LOG.debug("could not report the failure of rank {} to the store: {}", rank(), firstLine(e));
        }
    }

    /** Whether an error message comes from the communication layer (Gloo, NCCL, sockets, timeouts). */
    static boolean looksLikeCommunication(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String k : new String[] {"gloo", "nccl", "c10d", "connection", "peer", "socket", "timed out", "timeout",
                "broken pipe", "reset by"}) {
            if (m.contains(k)) return true;
        }
        return false;
    }

    static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        String line = m.strip().lines().findFirst().orElse("");
        // drop LibTorch's source location prefix "[/path/file.cc:123] "
        if (line.startsWith("[") && line.indexOf("] ") > 0) line = line.substring(line.indexOf("] ") + 2);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static ByteVector bytes(String s) { return new ByteVector(s.getBytes(StandardCharsets.UTF_8)); }

    private static String text(ByteVector v) { return new String(v.get(), StandardCharsets.UTF_8); }

    private static String join(List<Integer> ranks) {
        StringBuilder b = new StringBuilder();
        for (int r : ranks) b.append(b.length() == 0 ? "" : ", ").append(r);
        return b.toString();
    }

    /**
     * Releases the group. After a failure the native objects are left to the process's exit: destroying a Gloo
     * context whose peer vanished can block.
     */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        if (diagnosed != null || reported) return;
        group.close();
        if (nccl != null) nccl.close();
        gloo.close();
        store.close();
        tcp.close();
    }
}
