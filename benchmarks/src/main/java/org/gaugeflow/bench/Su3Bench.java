package org.gaugeflow.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run su3}: the SU(3) flow benchmark of {@link Su3Benchmark}. */
@Command(name = "su3", mixinStandardHelpOptions = true,
        description = "SU(3) 8x8 flows: samples/s and training steps/s, multiscale vs fine flow, float64 and float32.")
final class Su3Bench implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "64", description = "Batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reps", defaultValue = "3", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
    int reps;

    @Override public Integer call() {
        Su3Benchmark.main(new String[] {Integer.toString(batch), Integer.toString(reps)});
        return 0;
    }
}
