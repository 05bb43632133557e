package org.gaugeflow.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.chain.Start;
import org.gaugeflow.chain.UpdateKind;
import org.gaugeflow.distributed.DistributedContext;
import org.gaugeflow.distributed.LocalLauncher;
import org.gaugeflow.ensemble.ReplicaEnsemble;
import org.gaugeflow.ensemble.SampleRun;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.model.VolumeTransfer;
import org.gaugeflow.observables.StandardObservables;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow sample}: an exact Markov chain with a trained model as proposal (independence
 * Metropolis), mixed with HMC (hybrid), or HMC alone; writes OUT/summary.json, OUT/history.csv, ILDG files
 * with an index, plots, and checkpoints for --resume (docs/chains.md). With {@code --replicas R}: R independent
 * replicas (seeds S + r) into OUT/replica-r, in R worker processes on this machine ({@link LocalLauncher}), or one
 * share per rank under torchrun or srun ({@link ReplicaEnsemble#replicasOf}); the local launch ends with their
 * combined analysis (docs/distributed.md).
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Markov chain with flow proposals (independence Metropolis), hybrid HMC-flow, or HMC; ILDG ensemble.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Folder written by 'gaugeflow train --out DIR' (its best model by the held-out loss), or 'haar'.")
    String model;

    @Option(names = "--last", description = "With a model folder: its last weights (checkpoint.pt) instead of the best (best.pt).")
    boolean last;

    @Option(names = "--chain", defaultValue = "independence", description = "independence, hybrid or hmc (default ${DEFAULT-VALUE}).")
    String chain;

    @Option(names = "--n", required = true, description = "Total number of updates of the chain.")
    long n;

    @Option(names = "--hmc-every", defaultValue = "1", description = "Hybrid: HMC trajectories per cycle (default ${DEFAULT-VALUE}).")
    int hmcEvery;

    @Option(names = "--flow-every", defaultValue = "1", description = "Hybrid: flow proposals per cycle (default ${DEFAULT-VALUE}).")
    int flowEvery;

    @Option(names = "--save-every", defaultValue = "100", description = "An ILDG file every K updates; 0 for none (default ${DEFAULT-VALUE}).")
    long saveEvery;

    @Option(names = "--checkpoint-every", description = "A checkpoint every C updates (default: --save-every, or 100).")
    Long checkpointEvery;

    @Option(names = "--therm", description = "Updates left out of the averages (default: n/10).")
    Long therm;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the chain in OUT from its checkpoint (same settings; docs/chains.md, \"Run folders\").")
    boolean resume;

    @Option(names = "--overwrite", description = "Delete the run already in OUT first.")
    boolean overwrite;

    @Mixin SharedOptions.MemoryLimit memoryLimit;

    @Option(names = "--group", description = "u1, su2, su3 (with --model haar or --chain hmc; else from the model).")
    String group;

    @Option(names = "--lattice", description = "e.g. 8x8 (with --model haar or --chain hmc; with a trained model: run it on this lattice by volume transfer, else the model's).")
    String lattice;

    @Option(names = "--transfer", defaultValue = "scale", description = "With --lattice and a trained model: which trained layers the extra doubling layers repeat: scale, finest or fresh (default ${DEFAULT-VALUE}; docs/multiscale.md).")
    String transfer;

    @Option(names = "--beta", description = "Wilson action beta (default: the model's).")
    Double beta;

    @Option(names = "--start", description = "cold, hot, model or an ILDG file (default: model with a model, else cold).")
    String start;

    @Mixin SharedOptions.Seed seed;

    @Option(names = "--chain-id", defaultValue = "chain0", description = "Chain id for provenance (default ${DEFAULT-VALUE}).")
    String chainId;

    @Option(names = "--batch", defaultValue = "64", description = "Flow proposals drawn per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin SharedOptions.Engine engine;

    @Option(names = "--tau", defaultValue = "1.0", description = "HMC trajectory length (default ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--steps", defaultValue = "10", description = "HMC MD steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Mixin SharedOptions.MdIntegrator integrator;

    @Mixin SharedOptions.Threads threads;

    @Option(names = "--device", defaultValue = "cpu", description = "Device of --model haar proposals: cpu, cuda, cuda:N (a trained model runs where it was trained; default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--ildg-precision", defaultValue = "64", description = "32 or 64 bits per real in ILDG files (default ${DEFAULT-VALUE}).")
    String ildgPrecision;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--replicas", paramLabel = "R",
            description = "R independent replicas (seeds S + r, folders OUT/replica-r) in parallel worker processes on this "
                    + "machine, the threads split between them; under torchrun or srun rank k runs replicas k, k + W, ... "
                    + "(default there: one per rank). Combine them with 'gaugeflow analyze OUT/replica-*'.")
    Integer replicas;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        threads.apply();
        memoryLimit.apply();
        DistributedContext ctx = DistributedContext.fromEnvironment();
        if (replicas != null || ctx.distributed()) return replicas(ctx);
        Map<String, Object> summary = run(total -> Progress.bar("sample", total, " upd"));
        if (summary != null) SampleSummaryPrinter.print(summary, System.out);
        return 0;
    }

    /** Replicas: a local launch of R workers, or this process's share of them. */
    private int replicas(DistributedContext ctx) throws Exception {
        int count = replicas != null ? replicas : ctx.worldSize();
        if (count < 1) throw new IllegalArgumentException("--replicas " + count + ": expected >= 1");
        if (!ctx.distributed() && count > 1) {
            int per = LocalLauncher.threadsPerProcess(TorchRuntime.threads(), count);
            List<String> args = TrainCommand.workerArguments(spec.root().commandLine().getParseResult().originalArgs());
            // independent replicas: one that fails does not stop the others
            LocalLauncher.Outcome o = LocalLauncher.run(new LocalLauncher.Spec(count, Main.class.getName(), args, per,
                    Duration.ofDays(365), false, Map.of(), null));
            if (!o.succeeded()) {
                if (o.status() != 2) System.err.println("gaugeflow: replica " + o.message());
                return o.status();
            }
            System.out.println();
            AnalyzeCommand.print(ReplicaEnsemble.analyze(ReplicaEnsemble.folders(out, count), null), System.out);
            return 0;
        }
        Path base = out;
        long seed0 = seed.seed;
        String chain0 = chainId;
        try {
            for (int r : ReplicaEnsemble.replicasOf(count, ctx.rank(), ctx.worldSize())) {
                out = ReplicaEnsemble.folder(base, r);
                seed.seed = ReplicaEnsemble.seed(seed0, r);
                chainId = ReplicaEnsemble.chainId(chain0, r);
                boolean bars = ctx.rank() == 0;
                Map<String, Object> summary = run(total -> bars ? Progress.bar("replica " + out.getFileName(), total, " upd") : null);
                if (summary != null) {
                    System.out.println(out + " (seed " + seed.seed + "):");
                    SampleSummaryPrinter.print(summary, System.out);
                }
            }
        } finally {
            out = base;
            seed.seed = seed0;
            chainId = chain0;
        }
        return 0;
    }

    /** Checks every option, builds the chain and runs it; the progress bar factory may return null. */
    Map<String, Object> run(java.util.function.LongFunction<ProgressBar> bars) throws IOException {
        String kind = chain == null ? "" : chain.trim().toLowerCase();
        Schedule schedule = switch (kind) {
            case "independence" -> Schedule.independence();
            case "hybrid" -> new Schedule(hmcEvery, flowEvery);
            case "hmc" -> Schedule.hmcOnly();
            default -> throw new IllegalArgumentException("chain '" + chain + "': expected independence, hybrid or hmc");
        };
        if (kind.equals("hybrid") && (hmcEvery < 1 || flowEvery < 1)) {
            throw new IllegalArgumentException("hybrid with --hmc-every " + hmcEvery + " --flow-every " + flowEvery
                    + ": expected both >= 1");
        }
        if (schedule.usesFlow() && model == null) {
            throw new IllegalArgumentException("chain " + kind + ": expected --model DIR (or --model haar)");
        }
        if (n < 1) throw new IllegalArgumentException("n = " + n + ": expected >= 1");
        long ckEvery = checkpointEvery != null ? checkpointEvery : saveEvery > 0 ? saveEvery : 100;
        long th = therm != null ? therm : n / 10;
        Precision filePrecision = Precision.parse(ildgPrecision);
        FieldOptions chainOptions = FieldOptions.CPU_DOUBLE;
        FieldOptions modelOptions = new FieldOptions(Precision.DOUBLE, device);
        GaugeGroup g = group == null ? null : GaugeGroup.parse(group);
        Lattice lat = lattice == null ? null : Lattice.parse(lattice);

        HybridChain.Builder b = new HybridChain.Builder().chainId(chainId).schedule(schedule).seed(seed.seed).proposalBatch(batch);
        Double modelBeta = null;
        if (model != null) {
            TrainedModel m = loadModel(g, lat, modelOptions);
            if (g != null && g.n() != m.group().n()) {
                throw new IllegalArgumentException("group " + group + ": the model is for " + m.group());
            }
            if (lat != null && !lat.equals(m.lattice())) m = m.onLattice(lat, VolumeTransfer.Mode.parse(transfer));
            g = m.group();
            lat = m.lattice();
            modelBeta = m.beta();
            b.model(m.density(), m.options(), m.name(), m.checksum()).modelFootprint(m.footprint());
        }
        if (g == null || lat == null) throw new IllegalArgumentException("chain " + kind + ": expected --group and --lattice");
        double bt = beta != null ? beta : modelBeta != null ? modelBeta : Double.NaN;
        if (Double.isNaN(bt)) throw new IllegalArgumentException("beta missing: expected --beta");
        b.theory(g, lat, bt);
        if (start != null) b.start(Start.parse(start));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", model);
        if (schedule.usesHmc()) {
            HmcParameters hp = new HmcParameters(bt, tau, steps, integrator.parsed());
            String e = engine.engine.trim().toLowerCase();
            b.hmc(HmcEngines.create(e, seed.seed, g, lat, hp, chainOptions), hp);   // the chain owns and closes the engine
            params.put("engine", e);
            params.put("tau", tau);
            params.put("steps", steps);
            params.put("integrator", hp.integrator().toString());
        }
        params.put("proposal_batch", batch);
        params.put("device", device);
        params.put("ildg_precision", filePrecision.name().toLowerCase());
        if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite: expected at most one of them");
        RunFolder.Mode mode = resume ? RunFolder.Mode.RESUME : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW;
        SampleRun.Settings s = new SampleRun.Settings(out, n, saveEvery, ckEvery, th, mode, filePrecision, -1);
        Map<String, Object> summary;
        // the bar starts with the first update, so that a run refused before any work prints only its error
        ProgressBar[] bar = {null};
        try {
            summary = SampleRun.run(b, s, params, (done, total, st) -> {
                if (quiet) return;
                if (bar[0] == null) {
                    bar[0] = bars.apply(total);
                    if (bar[0] == null) return;
                }
                bar[0].stepTo(done);
                StringBuilder m = new StringBuilder();
                for (UpdateKind k : UpdateKind.values()) {
                    if (st.proposed(k) > 0) m.append(String.format(" acc %s %.3f", k.label(), st.acceptance(k)));
                }
                bar[0].setExtraMessage(m.toString());
            });
        } finally {
            if (bar[0] != null) bar[0].close();
        }
        if (summary != null) plots(g.name() + " " + lat + " beta=" + bt + " (" + schedule + ")", lat.dims() == 2);
        return summary;
    }

    /** {@code --model haar} or a run folder. */
    private TrainedModel loadModel(GaugeGroup g, Lattice lat, FieldOptions options) throws IOException {
        if (model.equals("haar")) {
            if (g == null || lat == null) throw new IllegalArgumentException("model haar: expected --group and --lattice");
            return TrainedModel.haar(g, lat, options);
        }
        if (!java.nio.file.Files.isDirectory(Path.of(model))) {
            throw new IllegalArgumentException("model '" + model + "': expected haar or a folder written by gaugeflow train");
        }
        return TrainedModel.load(Path.of(model), last);
    }

    /** The chain's history plots, from history.csv (the charge histogram only for the integer 2D charge). */
    private void plots(String title, boolean integerCharge) throws IOException {
        Map<String, double[]> cols = SampleRun.readHistory(out.resolve(SampleRun.HISTORY), 0);
        double[] u = cols.get("update");
        Plots.history(out.resolve("plaquette_history.png"), title, StandardObservables.PLAQUETTE, u,
                cols.get(StandardObservables.PLAQUETTE));
        double[] q = cols.get(StandardObservables.CHARGE);
        if (q != null) {
            Plots.history(out.resolve("charge_history.png"), title, StandardObservables.CHARGE, u, q);
            if (integerCharge) Plots.chargeHistogram(out.resolve("charge_histogram.png"), title, q);
        }
    }
}
