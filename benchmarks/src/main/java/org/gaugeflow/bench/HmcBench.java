package org.gaugeflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run hmc}: copy bandwidth, force GFLOP/s and trajectories/s per engine (BENCHMARKS.md); {@code --engines
 * native,grid} measures our native engine and Grid's in one run, same lattices, integrator, steps and threads.
 */
@Command(name = "hmc", mixinStandardHelpOptions = true,
        description = "SU(3) HMC: copy bandwidth (reference), force GFLOP/s and trajectories/s per engine (native, torch, grid).")
final class HmcBench implements Callable<Integer> {

    @Option(names = "--lattices", split = ",", defaultValue = "8x8x8x8,16x16x16x16",
            description = "Lattices (default ${DEFAULT-VALUE}).")
    List<String> lattices;

    @Option(names = "--engines", split = ",", defaultValue = "native,torch", description = "Engines (default ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--group", defaultValue = "su3") String group;
    @Option(names = "--beta", defaultValue = "5.6") double beta;
    @Option(names = "--tau", defaultValue = "1.0") double tau;
    @Option(names = "--steps", defaultValue = "20") int steps;
    @Option(names = "--integrator", defaultValue = "omelyan") String integrator;

    @Option(names = "--trajectories", defaultValue = "3", description = "Timed trajectories per engine and lattice.")
    int trajectories;

    @Option(names = "--force-reps", defaultValue = "5", description = "Timed force evaluations (best is kept).")
    int forceReps;

    @Option(names = "--warm", defaultValue = "4",
            description = "MD-only trajectories (fresh momenta, no Metropolis) from a cold start before timing.")
    int warm;

    @Option(names = "--copy-mb", defaultValue = "256", description = "Buffer size of the copy reference in MiB.")
    int copyMb;

    @Option(names = "--json", description = "Also write the results to this file.")
    Path json;

    @Option(names = "--label", description = "A free-text label stored with the results (e.g. the native engine's build).")
    String label;

    @Override public Integer call() throws Exception {
        HmcParameters params = new HmcParameters(beta, tau, steps, Integrator.parse(integrator));
        for (String e : engines) {
            if (!HmcEngines.names().contains(e)) {
                throw new IllegalArgumentException("engine '" + e + "': expected one of " + HmcEngines.names());
            }
        }
        NativeEngine.requireAvailable();
        TorchRuntime.configure();
        NativeEngine.gf_set_threads(TorchRuntime.threads());   // the same threads for every engine
        if (engines.contains("grid")) {
            if (!org.gaugeflow.grid.GridBridge.available()) {
                throw new IllegalArgumentException("engine grid: " + org.gaugeflow.grid.GridBridge.unavailableReason());
            }
            org.gaugeflow.grid.GridBridge.ensureInitialized(TorchRuntime.threads());
        }
        Map<String, Object> all = new LinkedHashMap<>();
        if (label != null) all.put("label", label);
        all.put("load_average_before", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("torch_threads", TorchRuntime.threads());
        machine.put("native_threads", NativeEngine.gf_max_threads());
        if (engines.contains("grid")) {
            machine.put("grid_threads", org.gaugeflow.grid.GridBridge.gg_threads());
            machine.put("grid_build", org.gaugeflow.grid.GridBridge.gg_build_info());
        }
        machine.put("os_arch", System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.version"));
        all.put("machine", machine);
        System.out.println("machine: " + machine + ", load average before " + all.get("load_average_before"));
        all.put("parameters", Map.of("group", group, "beta", beta, "tau", tau, "steps", steps,
                "integrator", params.integrator().toString()));
        Map<String, Object> copy = HmcBenchmark.copyBandwidth((long) copyMb << 20, 5);
        all.put("copy", copy);
        System.out.printf("copy reference (%d MiB): native %.2f GB/s, torch %.2f GB/s%n", copyMb,
                copy.get("native_copy_GBps"), copy.get("torch_copy_GBps"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String l : lattices) {
            Lattice lat = Lattice.parse(l);
            HmcBenchmark b = new HmcBenchmark(group, lat, params);
            org.bytedeco.pytorch.Tensor start = b.warmField(warm);
            for (String e : engines) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("lattice", lat.toString());
                row.put("engine", e);
                row.putAll(b.force(e, forceReps));
                row.putAll(b.trajectories(e, trajectories, start));
                rows.add(row);
                System.out.printf("%-12s %-6s force %.4f s  %.2f GFLOP/s (%.2f per CPU-s; %.2f GB/s min traffic)"
                                + "  trajectory %.3f s, %.3f CPU-s (%.3f traj/s)%n", lat, e, row.get("force_seconds"),
                        row.get("force_GFLOPs"), row.get("force_GFLOP_per_cpu_second"), row.get("force_min_traffic_GBps"),
                        row.get("seconds_per_trajectory"), row.get("cpu_seconds_per_trajectory"),
                        row.get("trajectories_per_second"));
                System.out.printf("%-12s %-6s acceptance %.2f, plaquette %.4f%n", lat, e, row.get("acceptance"),
                        row.get("plaquette_after"));
            }
        }
        all.put("results", rows);
        all.put("load_average_after", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        if (json != null) {
            AtomicFileWriter.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
        }
        return 0;
    }
}
