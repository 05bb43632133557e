package org.gaugeflow.distributed;

import java.util.Map;

/**
 * Where this process stands in a multi-process job, read from the environment the way PyTorch users launch jobs
 * (docs/distributed.md):
 * <ul>
 *   <li>torchrun's conventions (and {@code gaugeflow ... --nproc N}, which sets the same variables for its workers):
 *       {@code WORLD_SIZE}, {@code RANK}, {@code LOCAL_RANK}, {@code MASTER_ADDR}, {@code MASTER_PORT}; under torchrun
 *       {@code TORCHELASTIC_USE_AGENT_STORE=True} means the agent hosts the rendezvous store (as does gaugeflow's own
 *       launcher, {@code GAUGEFLOW_AGENT_STORE=1}), otherwise rank 0 hosts it;
 *   <li>Slurm's, when {@code WORLD_SIZE} is not set: {@code SLURM_PROCID} (rank), {@code SLURM_NTASKS} (world size),
 *       {@code SLURM_LOCALID} (local rank), the master from {@code MASTER_ADDR} or else {@code SLURM_LAUNCH_NODE_IPADDR},
 *       the port from {@code MASTER_PORT} or else {@value #DEFAULT_PORT}.
 * </ul>
 * A world of one process is an ordinary single-process run. {@code GAUGEFLOW_DISTRIBUTED=off} ignores all of these
 * (for a single-process command inside a multi-task Slurm allocation).
 *
 * @param rank         this process's rank, 0 .. worldSize - 1
 * @param worldSize    the number of processes
 * @param localRank    the rank among the processes on this machine (selects cuda:LOCAL_RANK)
 * @param masterAddr   host of the rendezvous store
 * @param masterPort   its port
 * @param launcher     what started the process: {@code gaugeflow}, {@code torchrun}, {@code env}, {@code slurm} or
 *                     {@code single}
 * @param agentStore   whether the launcher hosts the store (else rank 0 does)
 * @param restartCount torchrun's restart count (0 otherwise); keys of each attempt are kept apart
 */
public record DistributedContext(int rank, int worldSize, int localRank, String masterAddr, int masterPort, String launcher,
                                 boolean agentStore, int restartCount) {
    /** torch's default rendezvous port, used under Slurm when MASTER_PORT is not set. */
    public static final int DEFAULT_PORT = 29500;

    public DistributedContext {
        if (worldSize < 1) throw new IllegalArgumentException("world size " + worldSize + ": expected >= 1");
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + ": expected 0 <= rank < world size " + worldSize);
        }
        if (localRank < 0) throw new IllegalArgumentException("local rank " + localRank + ": expected >= 0");
        if (worldSize > 1 && (masterAddr == null || masterAddr.isBlank())) {
            throw new IllegalArgumentException("MASTER_ADDR missing: expected the host of rank 0 (or of the launcher's store)");
        }
        if (worldSize > 1 && (masterPort < 1 || masterPort > 65535)) {
            throw new IllegalArgumentException("MASTER_PORT=" + masterPort + ": expected a port in 1..65535");
        }
    }

    /** A single process. */
    public static DistributedContext single() {
        return new DistributedContext(0, 1, 0, null, 0, "single", false, 0);
    }

    /** From this process's environment. */
    public static DistributedContext fromEnvironment() { return fromEnvironment(System.getenv()); }

    /** From the given environment variables (see the class comment). */
    public static DistributedContext fromEnvironment(Map<String, String> env) {
        String off = env.get("GAUGEFLOW_DISTRIBUTED");
        if (off != null && (off.equalsIgnoreCase("off") || off.equals("0") || off.equalsIgnoreCase("false"))) return single();
        if (present(env, "WORLD_SIZE")) {
            int world = integer(env, "WORLD_SIZE");
            if (!present(env, "RANK")) throw new IllegalArgumentException("WORLD_SIZE=" + world + " without RANK: expected both (torchrun sets them)");
            int rank = integer(env, "RANK");
            int local = present(env, "LOCAL_RANK") ? integer(env, "LOCAL_RANK") : rank;
            if (world > 1 && !present(env, "MASTER_PORT")) {
                throw new IllegalArgumentException("WORLD_SIZE=" + world + " without MASTER_PORT: expected the port of the rendezvous store");
            }
            String launcher = present(env, "GAUGEFLOW_AGENT_STORE") ? "gaugeflow" : present(env, "TORCHELASTIC_RUN_ID") ? "torchrun" : "env";
            boolean agent = "1".equals(env.get("GAUGEFLOW_AGENT_STORE")) || "True".equalsIgnoreCase(env.get("TORCHELASTIC_USE_AGENT_STORE"));
            int restart = present(env, "TORCHELASTIC_RESTART_COUNT") ? integer(env, "TORCHELASTIC_RESTART_COUNT") : 0;
            return new DistributedContext(rank, world, local, env.get("MASTER_ADDR"),
                    present(env, "MASTER_PORT") ? integer(env, "MASTER_PORT") : 0, launcher, agent, restart);
        }
        if (present(env, "SLURM_PROCID") && present(env, "SLURM_NTASKS")) {
            int world = integer(env, "SLURM_NTASKS");
            int rank = integer(env, "SLURM_PROCID");
            int local = present(env, "SLURM_LOCALID") ? integer(env, "SLURM_LOCALID") : 0;
            String master = present(env, "MASTER_ADDR") ? env.get("MASTER_ADDR") : env.get("SLURM_LAUNCH_NODE_IPADDR");
            if (world > 1 && (master == null || master.isBlank())) {
                throw new IllegalArgumentException("SLURM_NTASKS=" + world + " without MASTER_ADDR or SLURM_LAUNCH_NODE_IPADDR: "
                        + "expected the host of rank 0");
            }
            int port = present(env, "MASTER_PORT") ? integer(env, "MASTER_PORT") : DEFAULT_PORT;
            return new DistributedContext(rank, world, local, master, port, "slurm", false, 0);
        }
        return single();
    }

    /** Whether this is one process of several (world size > 1). */
    public boolean distributed() { return worldSize > 1; }

    /** Whether this process hosts the rendezvous store (rank 0 when no launcher agent hosts it). */
    public boolean hostsStore() { return rank == 0 && !agentStore; }

    /** For logs and errors: "rank 1 of 4 (torchrun, store 10.0.0.1:29500)". */
    public String describe() {
        if (!distributed()) return "single process";
        return "rank " + rank + " of " + worldSize + " (" + launcher + ", store " + masterAddr + ":" + masterPort + ")";
    }

    private static boolean present(Map<String, String> env, String key) {
        String v = env.get(key);
        return v != null && !v.isBlank();
    }

    private static int integer(Map<String, String> env, String key) {
        String v = env.get(key).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + v + "': expected an integer");
        }
    }
}
