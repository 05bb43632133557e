package org.gaugeflow.distributed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts N worker processes of this program on this machine, the way torchrun does on one node
 * ({@code gaugeflow train ... --nproc N}, {@code gaugeflow sample ... --replicas R}; docs/distributed.md): the same
 * java, class path and JVM options as this process, the main class and arguments given, and in each worker's
 * environment {@code WORLD_SIZE}, {@code RANK}, {@code LOCAL_RANK}, {@code LOCAL_WORLD_SIZE}, {@code MASTER_ADDR}
 * (127.0.0.1) and {@code MASTER_PORT}, and the threads split between the workers ({@code GAUGEFLOW_THREADS},
 * {@code OMP_NUM_THREADS} and {@code OPENBLAS_NUM_THREADS} set to the given threads per process).
 *
 * <p>The launcher hosts the rendezvous store itself ({@code GAUGEFLOW_AGENT_STORE=1}), so the store outlives any
 * worker and the survivors of a failure can still name the rank that died. It watches the workers: when one ends
 * with a non-zero status it notes which (its exit status or signal), gives the others the collective timeout plus a
 * grace period to stop by themselves (they fail within the timeout with a one-line error naming the rank), and then
 * kills the rest.
 */
public final class LocalLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLauncher.class);
    /** Time the workers get, beyond the collective timeout, to stop by themselves after a failure. */
    private static final Duration GRACE = Duration.ofSeconds(15);

    private LocalLauncher() {}

    /**
     * What to launch.
     *
     * @param processes         the number of workers (>= 1)
     * @param mainClass         the main class each worker runs
     * @param args              its arguments (the same for every worker; each learns its rank from RANK)
     * @param threadsPerProcess LibTorch, OpenMP and OpenBLAS threads of each worker
     * @param timeout           the workers' collective timeout (how long survivors may take to stop after a failure)
     * @param hostStore         whether to host a rendezvous store (training: yes; independent replicas: no)
     * @param env               more environment variables for every worker
     * @param logDir            where each worker's stdout and stderr go (rank-R.out, rank-R.err); null: copied to this
     *                          process's System.out and System.err
     */
    public record Spec(int processes, String mainClass, List<String> args, int threadsPerProcess, Duration timeout,
                       boolean hostStore, Map<String, String> env, Path logDir) {
        public Spec {
            if (processes < 1) throw new IllegalArgumentException("processes = " + processes + ": expected >= 1");
            if (threadsPerProcess < 1) throw new IllegalArgumentException("threads per process = " + threadsPerProcess + ": expected >= 1");
            args = List.copyOf(args);
            env = env == null ? Map.of() : Map.copyOf(env);
        }
    }

    /**
     * How the workers ended.
     *
     * @param exitCodes   each rank's exit status (128 + N for signal N; -1 for a worker this launcher had to kill)
     * @param failedRank  the first rank that ended with a non-zero status (-1: none)
     * @param message     a one-line account of the failure (empty when all succeeded)
     * @param seconds     wall-clock seconds from start to the last worker's end
     */
    public record Outcome(int[] exitCodes, int failedRank, String message, double seconds) {
        /** Whether every worker exited with status 0. */
        public boolean succeeded() { return failedRank < 0; }

        /** The exit status a launcher should end with: 0, 2 when the workers refused their input, else 1. */
        public int status() {
            if (succeeded()) return 0;
            for (int c : exitCodes) if (c != 2) return 1;
            return 2;
        }
    }

    /** Threads of each of {@code processes} workers sharing {@code total} threads: total / processes, at least 1. */
    public static int threadsPerProcess(int total, int processes) { return Math.max(1, total / processes); }

    /** Starts the workers, waits for them and reports how they ended. */
    public static Outcome run(Spec spec) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        TCPStore store = null;
        int port = 0;
        if (spec.hostStore()) {
            TCPStoreOptions so = new TCPStoreOptions();
            so.port((short) 0);
            so.isServer(true);
            so.numWorkers(new SizeTPointer(1).put(spec.processes()));
            so.waitWorkers(false);
            so.timeout(new Milliseconds(spec.timeout().toMillis()));
            store = new TCPStore("127.0.0.1", so);
            port = store.getPort() & 0xFFFF;
        }
        List<Process> procs = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        Thread killer = new Thread(() -> procs.forEach(Process::destroyForcibly), "gaugeflow-launcher-cleanup");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            if (spec.logDir() != null) Files.createDirectories(spec.logDir());
            List<String> command = command(spec.mainClass(), spec.args());
            for (int r = 0; r < spec.processes(); r++) {
                ProcessBuilder pb = new ProcessBuilder(command);
                Map<String, String> env = pb.environment();
                env.putAll(workerEnvironment(spec, r, port));
                if (spec.logDir() != null) {
                    pb.redirectOutput(spec.logDir().resolve("rank-" + r + ".out").toFile());
                    pb.redirectError(spec.logDir().resolve("rank-" + r + ".err").toFile());
                }
                Process p = pb.start();
                procs.add(p);
                if (spec.logDir() == null) {
                    pumps.add(pump(p.getInputStream(), System.out, "rank-" + r + "-out"));
                    pumps.add(pump(p.getErrorStream(), System.err, "rank-" + r + "-err"));
                }
            }
            LOG.debug("started {} workers of {} (pids {})", spec.processes(), spec.mainClass(), procs.stream().map(Process::pid).toList());
            Outcome o = watch(spec, procs, t0);
            for (Thread t : pumps) t.join(5_000);
            if (!o.succeeded() && store != null && !(o.exitCodes()[o.failedRank()] > 128)) {
                // the first rank to end was not killed: the survivors' own diagnosis names the culprit better
                String d = diagnosis(store);
                if (d != null) o = new Outcome(o.exitCodes(), o.failedRank(), d + " [" + o.message() + "]", o.seconds());
            }
            return o;
        } finally {
            for (Process p : procs) if (p.isAlive()) p.destroyForcibly();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            if (store != null) store.close();
        }
    }

    /** The first diagnosis a failed rank recorded in the store (null: none, or the store cannot list its keys). */
    private static String diagnosis(TCPStore store) {
        try {
            var keys = store.listKeys();
            List<String> found = new ArrayList<>();
            for (long i = 0; i < keys.size(); i++) {
                String k = keys.get(i).getString();
                if (k.contains("/" + DistributedGroup.DIAGNOSIS)) found.add(k);
            }
            if (found.isEmpty()) return null;
            java.util.Collections.sort(found);
            return new String(store.get(found.get(0)).get(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            LOG.debug("no diagnosis from the store: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Copies a worker's output to this process's stream (through System.out and System.err rather than the file
     * descriptors, so that whatever captures this process's output captures the workers' too).
     */
    private static Thread pump(java.io.InputStream in, java.io.PrintStream out, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the worker is gone
            }
        }, "gaugeflow-launcher-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Outcome watch(Spec spec, List<Process> procs, long t0) throws InterruptedException {
        int n = procs.size();
        int[] codes = new int[n];
        boolean[] done = new boolean[n];
        int failed = -1;
        String message = "";
        long deadline = Long.MAX_VALUE;
        while (true) {
            int running = 0;
            for (int r = 0; r < n; r++) {
                if (done[r]) continue;
                Process p = procs.get(r);
                if (p.isAlive()) {
                    running++;
                    continue;
                }
                done[r] = true;
                codes[r] = p.exitValue();
                if (codes[r] != 0 && failed < 0) {
                    failed = r;
                    message = "rank " + r + " (pid " + p.pid() + ") " + describeExit(codes[r]) + String.format(Locale.ROOT,
                            " after %.1f s", (System.nanoTime() - t0) / 1e9);
                    deadline = System.nanoTime() + spec.timeout().plus(GRACE).toNanos();
                    LOG.info("{}; waiting up to {} s for the other ranks to stop", message, spec.timeout().plus(GRACE).toSeconds());
                }
            }
            if (running == 0) break;
            if (System.nanoTime() > deadline) {
                List<Integer> killed = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    if (!done[r]) {
                        procs.get(r).destroyForcibly().waitFor();
                        done[r] = true;
                        codes[r] = -1;
                        killed.add(r);
                    }
                }
                message += "; killed rank(s) " + killed + " that did not stop within " + spec.timeout().plus(GRACE).toSeconds() + " s";
                break;
            }
            Thread.sleep(50);
        }
        return new Outcome(codes, failed, message, (System.nanoTime() - t0) / 1e9);
    }

    /** "exited with status 1" or "was killed by signal 9 (SIGKILL)". */
    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            int sig = code - 128;
            String name = switch (sig) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 11 -> " (SIGSEGV)";
                case 6 -> " (SIGABRT)";
                case 2 -> " (SIGINT)";
                default -> "";
            };
            return "was killed by signal " + sig + name;
        }
        return "exited with status " + code;
    }

    /** The environment of worker {@code rank}. */
    static Map<String, String> workerEnvironment(Spec spec, int rank, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WORLD_SIZE", Integer.toString(spec.processes()));
        env.put("RANK", Integer.toString(rank));
        env.put("LOCAL_RANK", Integer.toString(rank));
        env.put("LOCAL_WORLD_SIZE", Integer.toString(spec.processes()));
        env.put("MASTER_ADDR", "127.0.0.1");
        env.put("MASTER_PORT", Integer.toString(port > 0 ? port : DistributedContext.DEFAULT_PORT));
        if (port > 0) env.put("GAUGEFLOW_AGENT_STORE", "1");
        String t = Integer.toString(spec.threadsPerProcess());
        env.put("GAUGEFLOW_THREADS", t);
        env.put("OMP_NUM_THREADS", t);
        env.put("OPENBLAS_NUM_THREADS", t);
        env.putAll(spec.env());
        return env;
    }

    /** java, this JVM's options (without a debugger agent), -cp, the class path, the main class, the arguments. */
    static List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.startsWith("-javaagent")) continue;
            cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
