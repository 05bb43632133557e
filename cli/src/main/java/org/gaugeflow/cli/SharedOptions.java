package org.gaugeflow.cli;

import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.memory.MemoryEstimate;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine.Option;

/** The options that several commands share, as picocli mixins ({@code @Mixin SharedOptions.Seed seed;}). */
final class SharedOptions {
    private SharedOptions() {}

    /** {@code --seed S}: the seed of every random stream of the run. */
    static final class Seed {
        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of all random numbers (default ${DEFAULT-VALUE}).")
        long seed;
    }

    /** {@code --engine NAME}: the HMC engine (org.gaugeflow.hmc.HmcEngines). */
    static final class Engine {
        @Option(names = "--engine", defaultValue = "native", paramLabel = "NAME",
                description = "HMC engine: native (C++, CPU), torch (LibTorch, CPU or CUDA) or grid (Grid, SU(3) in 4D, when built with Grid: docs/grid.md) (default ${DEFAULT-VALUE}).")
        String engine;
    }

    /** {@code --integrator NAME}: the molecular-dynamics integrator of HMC trajectories. */
    static final class MdIntegrator {
        @Option(names = "--integrator", defaultValue = "omelyan", paramLabel = "NAME",
                description = "MD integrator: omelyan (2MN), leapfrog, or force-gradient (Grid's, with --engine grid) (default ${DEFAULT-VALUE}).")
        String integrator;

        Integrator parsed() { return Integrator.parse(integrator); }
    }

    /** {@code --precision float64|float32}: the precision of models and fields. */
    static final class Precision {
        @Option(names = "--precision", defaultValue = "float64", paramLabel = "P", description = "float64 or float32 (default ${DEFAULT-VALUE}).")
        String precision;

        org.gaugeflow.tensor.Precision parsed() { return org.gaugeflow.tensor.Precision.parse(precision); }

        FieldOptions cpu() { return FieldOptions.cpu(parsed()); }
    }

    /** {@code --threads N}: LibTorch's intra-op threads and the native engine's OpenMP threads. */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N",
                description = "Threads of LibTorch, the native engine and Grid (default: GAUGEFLOW_THREADS, else the number of cores).")
        Integer threads;

        /** Configures the process's threads; every command calls this first. */
        void apply() {
            if (threads == null) {
                TorchRuntime.configure();
            } else {
                if (threads < 1) throw new IllegalArgumentException("--threads " + threads + ": expected >= 1");
                TorchRuntime.configure(threads);
            }
            if (NativeEngine.available()) NativeEngine.gf_set_threads(TorchRuntime.threads());
        }
    }

    /** {@code --resume} / {@code --overwrite}: what a run does with an output folder that already holds files. */
    static final class Existing {
        @Option(names = "--resume", description = "Continue the run in the output folder (same configuration; see docs/chains.md, \"Run folders\").")
        boolean resume;

        @Option(names = "--overwrite", description = "Delete the run already in the output folder first.")
        boolean overwrite;

        RunFolder.Mode mode() {
            if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite: expected at most one of them");
            return resume ? RunFolder.Mode.RESUME : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW;
        }
    }

    /** {@code --memory-limit SIZE}: replaces the limit of the memory check (org.gaugeflow.memory.MemoryEstimate). */
    static final class MemoryLimit {
        @Option(names = "--memory-limit", paramLabel = "SIZE",
                description = "Refuse runs estimated to need more than SIZE (e.g. 64G; default: JVM max heap + available memory).")
        String limit;

        void apply() {
            if (limit == null) {
                MemoryEstimate.setLimit(null);
                return;
            }
            try {
                MemoryEstimate.setLimit(MemoryEstimate.parseSize(limit));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--memory-limit " + limit + ": expected a size like 16G, 512M or 1.5T");
            }
        }
    }
}
