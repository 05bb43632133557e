package org.gaugeflow.tensor;

import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide LibTorch settings: one intra-op thread pool, sized to the cores unless told otherwise
 * (docs/architecture.md, "Working with LibTorch").
 */
public final class TorchRuntime {
    private static volatile boolean configured;

    private TorchRuntime() {}

    /** Sets LibTorch's intra-op threads once per process (GAUGEFLOW_THREADS overrides the core count). */
    public static synchronized void configure() {
        if (configured) return;
        String env = System.getenv("GAUGEFLOW_THREADS");
        int threads = Runtime.getRuntime().availableProcessors();
        if (env != null && !env.isBlank()) {
            try {
                threads = Integer.parseInt(env.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GAUGEFLOW_THREADS='" + env + "': expected a positive integer");
            }
            if (threads < 1) throw new IllegalArgumentException("GAUGEFLOW_THREADS=" + threads + ": expected >= 1");
        }
        torch.set_num_threads(threads);
        quietNnpack();
        configured = true;
    }

    /**
     * Turns off LibTorch's NNPACK convolutions. On CPUs NNPACK does not support (e.g. this project's AMD EPYC machines)
     * LibTorch tries it on every convolution and prints "Could not initialize NNPACK! Reason: Unsupported hardware" each
     * time (thousands of lines in a training run) before falling back to its own kernels; turned off, it uses those
     * kernels at once. Where NNPACK works, the native kernels give the same results.
     */
    private static void quietNnpack() {
        torch.globalContext().setUserEnabledNNPACK(false);
    }

    /** Sets LibTorch's intra-op threads to {@code threads} (>= 1), overriding GAUGEFLOW_THREADS and the core count. */
    public static synchronized void configure(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads = " + threads + ": expected >= 1");
        torch.set_num_threads(threads);
        quietNnpack();
        configured = true;
    }

    public static int threads() { return torch.get_num_threads(); }

    public static boolean cudaAvailable() {
        try {
            return torch.cuda_is_available();
        } catch (Throwable t) {
            return false;
        }
    }

    /** The LibTorch presets version, e.g. "2.10.0-1.5.13". */
    public static String libtorchVersion() {
        String v = torch.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
