package org.gaugeflow.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run eigh3}: the closed-form 3x3 Hermitian eigensolver against linalg_eigh ({@link Eigh3Benchmark}). */
@Command(name = "eigh3", mixinStandardHelpOptions = true,
        description = "Closed-form 3x3 Hermitian eigensolver vs linalg_eigh on batches of 341, 4096, 65536 matrices, same run.")
final class Eigh3Bench implements Callable<Integer> {
    @Option(names = "--reps", defaultValue = "11", description = "Timed repetitions, best and median kept (default ${DEFAULT-VALUE}).")
    int reps;

    @Override public Integer call() {
        Eigh3Benchmark.main(new String[] {Integer.toString(reps)});
        return 0;
    }
}
