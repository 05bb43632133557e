package org.gaugeflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.distributed.C10dDataParallel;
import org.gaugeflow.distributed.DistributedContext;
import org.gaugeflow.distributed.DistributedOptions;
import org.gaugeflow.distributed.LocalLauncher;
import org.gaugeflow.model.TrainedModel;
import org.gaugeflow.tensor.TorchRuntime;
import org.gaugeflow.training.Parallelism;
import org.gaugeflow.training.RunConfig;
import org.gaugeflow.training.TrainingConfig;
import org.gaugeflow.training.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run dataparallel}: training throughput (samples per second of the global batch) of one process with
 * all threads against N data-parallel processes with the threads split between them (each in fresh worker JVMs
 * started by {@link LocalLauncher}), with the gradients all-reduced by the c10d Reducer during the backward pass
 * (overlapped) and by buckets after it (timed: the all-reduce's share of a step), and the all-reduce of a
 * parameter-sized buffer alone (bandwidth) and of one number (latency). Medians over the timed steps.
 */
@Command(name = "dataparallel", mixinStandardHelpOptions = true,
        description = "Data-parallel training: throughput for 1 and N ranks on this machine, all-reduce share and cost.")
final class DataParallelBench implements Callable<Integer> {
    static final String DEFAULT_CONFIG = String.join("\n",
            "theory: {group: u1, lattice: 8x8, beta: 2.0}",
            "model: {type: u1-flow, layers: 8, bins: 8, hidden: [32, 32], kernel: 3}",
            "training: {batch: 128, steps: 100, lr: 0.001, seed: 1, precision: float32, heldout_every: 0}", "");

    @Option(names = "--config", description = "Training configuration (default: U(1) 8x8 flow, 8 layers, hidden [32,32], batch 128, float32).")
    Path config;
    @Option(names = "--ranks", split = ",", description = "Rank counts (default 1,2).") int[] ranks = {1, 2};
    @Option(names = "--threads", description = "Total threads, split between the ranks (default: the cores).") Integer threads;
    @Option(names = "--steps", description = "Timed steps per case (default 6).") int steps = 6;
    @Option(names = "--warmup", description = "Untimed steps first (default 2).") int warmup = 2;
    @Option(names = "--bucket-kb", description = "Gradient bucket size in KiB (default 1024).") long bucketKb = 1024;
    @Option(names = "--json", description = "Write the results to this JSON file.") Path json;

    @Override public Integer call() throws Exception {
        TorchRuntime.configure();
        int total = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        String yaml = config != null ? Files.readString(config) : DEFAULT_CONFIG;
        RunConfig cfg = RunConfig.parse(yaml, config != null ? config.toString() : "built-in");
        Path work = Files.createTempDirectory("gf-dp-bench");
        Path cfgFile = Files.writeString(work.resolve("config.yaml"), yaml);
        System.out.printf(Locale.ROOT, "%s, model %s, batch %d, %s; %d threads in all; load %s%n", cfg.theory(), cfg.modelType(),
                cfg.training().batch(), cfg.options().precision(), total, load());
        List<JsonNode> results = new ArrayList<>();
        for (int n : ranks) {
            Path out = work.resolve("result-" + n + ".json");
            List<String> args = List.of("dataparallel-worker", "--config", cfgFile.toString(), "--steps", Integer.toString(steps),
                    "--warmup", Integer.toString(warmup), "--bucket-bytes", Long.toString(bucketKb * 1024), "--out", out.toString());
            LocalLauncher.Outcome o = LocalLauncher.run(new LocalLauncher.Spec(n, BenchMain.class.getName(), args,
                    LocalLauncher.threadsPerProcess(total, n), Duration.ofMinutes(10), n > 1, Map.of(), work.resolve("logs-" + n)));
            if (!o.succeeded()) throw new IllegalStateException(n + " ranks: " + o.message() + " (logs in " + work + ")");
            results.add(new ObjectMapper().readTree(out.toFile()));
        }
        System.out.println("| ranks x threads | gradient sync | s/step | samples/s (global batch) | vs 1 rank | all-reduce s/step | share of step |");
        System.out.println("|---|---|---|---|---|---|---|");
        double base = Double.NaN;
        for (JsonNode r : results) {
            for (JsonNode c : r.get("cases")) {
                double s = c.get("step_seconds").asDouble();
                double sps = cfg.training().batch() / s;
                if (Double.isNaN(base)) base = sps;
                double sync = c.get("sync_seconds_per_step").asDouble();
                System.out.printf(Locale.ROOT, "| %d x %d | %s | %.3f | %.1f | %.2f | %s | %s |%n", r.get("ranks").asInt(), r.get("threads").asInt(),
                        c.get("sync").asText(), s, sps, sps / base, Double.isNaN(sync) ? "(overlapped)" : String.format(Locale.ROOT, "%.4f", sync),
                        Double.isNaN(sync) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * sync / s));
            }
            if (r.has("allreduce_seconds")) {
                System.out.printf(Locale.ROOT, "all-reduce alone, %d ranks: %d bytes (the gradients) in %.4f s = %.3f GB/s algorithmic; "
                        + "8 bytes in %.1f us%n", r.get("ranks").asInt(), r.get("gradient_bytes").asLong(), r.get("allreduce_seconds").asDouble(),
                        r.get("gradient_bytes").asLong() / r.get("allreduce_seconds").asDouble() / 1e9, 1e6 * r.get("latency_seconds").asDouble());
            }
        }
        System.out.println("load after: " + load());
        if (json != null) {
            Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results) + "\n");
        }
        return 0;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** One worker of {@code bench/run dataparallel} (started by the launcher; rank 0 writes the result). */
    @Command(name = "dataparallel-worker", hidden = true)
    static final class Worker implements Callable<Integer> {
        @Option(names = "--config") Path config;
        @Option(names = "--steps") int steps;
        @Option(names = "--warmup") int warmup;
        @Option(names = "--bucket-bytes") long bucketBytes;
        @Option(names = "--out") Path out;

        @Override public Integer call() throws Exception {
            TorchRuntime.configure();
            DistributedContext ctx = DistributedContext.fromEnvironment();
            RunConfig cfg = RunConfig.load(config);
            TrainingConfig tc = cfg.training().withSteps(warmup + steps);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ranks", ctx.worldSize());
            result.put("threads", TorchRuntime.threads());
            List<Map<String, Object>> cases = new ArrayList<>();
            if (!ctx.distributed()) {
                try (TrainingRun run = TrainingRun.inMemory(TrainedModel.build(cfg), cfg.theory(), tc)) {
                    cases.add(time(run, "none (1 process)", null));
                }
            } else {
                DistributedOptions base = DistributedOptions.DEFAULTS.withBucketBytes(bucketBytes).withTimeout(Duration.ofMinutes(5));
                long params = 0;
                for (DistributedOptions.GradientSync sync : DistributedOptions.GradientSync.values()) {
                    C10dDataParallel dp = C10dDataParallel.join(ctx, base.withSync(sync), false);
                    Module model = TrainedModel.build(cfg);
                    try (TrainingRun run = TrainingRun.inMemory(model, cfg.theory(), tc, Parallelism.dataParallel(dp))) {
                        run.closeAlso(dp);
                        cases.add(time(run, sync.name().toLowerCase(Locale.ROOT).replace('_', '-'), dp));
                        params = run.trainer().parameterCount();
                        result.put("buckets", dp.buckets().size());
                        if (sync == DistributedOptions.GradientSync.AFTER_BACKWARD) {
                            long bytes = params * (cfg.options().precision().name().equals("FLOAT") ? 4 : 8);
                            result.put("gradient_bytes", bytes);
                            result.put("allreduce_seconds", allreduce(dp, params, cfg.options().precision().name().equals("FLOAT")));
                            result.put("latency_seconds", allreduce(dp, 1, false));
                        }
                    }
                }
                result.put("parameters", params);
            }
            result.put("cases", cases);
            if (ctx.rank() == 0) Files.writeString(out, new ObjectMapper().writeValueAsString(result));
            return 0;
        }

        private Map<String, Object> time(TrainingRun run, String sync, C10dDataParallel dp) {
            for (int i = 0; i < warmup; i++) run.trainer().trainStep();
            double sync0 = dp == null ? 0 : dp.gradientSyncSeconds();
            double[] t = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                run.trainer().trainStep();
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("sync", sync);
            c.put("step_seconds", median(t));
            c.put("steps", steps);
            double s = dp == null ? Double.NaN : (dp.gradientSyncSeconds() - sync0) / steps;
            c.put("sync_seconds_per_step", s == 0 ? Double.NaN : s);
            return c;
        }

        /** Median seconds of one all-reduce of n numbers (after 3 untimed ones). */
        private static double allreduce(C10dDataParallel dp, long n, boolean float32) {
            double[] t = new double[15];
            try (PointerScope scope = new PointerScope()) {
                Tensor x = torch.ones(n).to(float32 ? torch.ScalarType.Float : torch.ScalarType.Double);
                for (int i = 0; i < 3 + t.length; i++) {
                    long t0 = System.nanoTime();
                    dp.group().allreduce(x);
                    if (i >= 3) t[i - 3] = (System.nanoTime() - t0) / 1e9;
                }
            }
            return median(t);
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }
}
