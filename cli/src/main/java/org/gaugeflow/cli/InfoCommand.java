package org.gaugeflow.cli;

import org.gaugeflow.GaugeflowVersion;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.hmc.HmcEngines;
import picocli.CommandLine.Mixin;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gaugeflow info}: versions, threads, CUDA and native-engine availability. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print LibTorch version, threads, and whether CUDA and the native HMC engine are available.")
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin SharedOptions.Threads threads;

    @Override public Integer call() throws Exception {
        threads.apply();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("gaugeflow", GaugeflowVersion.describe());
        info.put("java", System.getProperty("java.version"));
        info.put("libtorch", TorchRuntime.libtorchVersion());
        info.put("threads", TorchRuntime.threads());
        info.put("cores", Runtime.getRuntime().availableProcessors());
        info.put("cuda", TorchRuntime.cudaAvailable());
        info.put("native_engine", NativeEngine.available() ? "available" : "not available (" + NativeEngine.unavailableReason() + ")");
        info.put("grid_bridge", org.gaugeflow.grid.GridBridge.available()
                ? "available (" + org.gaugeflow.grid.GridBridge.gg_build_info() + ")"
                : "not available (" + org.gaugeflow.grid.GridBridge.unavailableReason() + ")");
        info.put("hmc_engines", HmcEngines.names());
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
        } else {
            info.forEach((k, v) -> System.out.printf("%-14s %s%n", k + ":", v));
        }
        return 0;
    }
}
