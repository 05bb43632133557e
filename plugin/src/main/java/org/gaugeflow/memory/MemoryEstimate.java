package org.gaugeflow.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.model.ModelFootprint;
import org.gaugeflow.model.ModelRegistry;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.training.RunConfig;

/**
 * The memory a run will need, estimated before anything is allocated, and the check that refuses a run that cannot
 * fit (docs/training.md, "Memory check"). {@code train}, {@code eval}, {@code sample} and {@code hmc} call
 * {@link #require()} first, so that an impossible lattice or batch is refused within a second with a one-line
 * message, instead of growing until the kernel kills the process.
 *
 * <p><b>What is counted.</b> Tensors live in native memory (LibTorch, the native engine), outside the JVM heap; the
 * estimate adds up the large ones: link tensors (d V N^2 complex numbers per configuration), model activations
 * (reals per site from the model's {@link ModelFootprint} times the calibrated bytes each costs, all layers kept for
 * the backward pass in training, the largest layer when sampling without gradients), parameters with their gradients
 * and Adam moments, and the few big Java arrays (checkpoint buffers, per-sample log weights, the history read back
 * for the summary). The fixed cost of the JVM and LibTorch (a few hundred MB) is already in use and not counted.
 *
 * <p><b>Calibration.</b> The factors below were set from the growth of the peak resident memory (GNU time's maximum
 * RSS) per sample between two batch sizes of short training, evaluation and sampling runs of the built-in models,
 * and per chain between HMC runs of 1 and 8 chains ({@code bench/memory-calibration}), so that the estimate is at
 * least 1.5 times the measured growth for every run measured (docs/training.md, "Memory check", lists them). It is
 * meant to be conservative for the built-in models; for a model type outside them it is a rough bound
 * ({@link ModelFootprint#generic}).
 *
 * <p><b>Limit.</b> By default the JVM's max heap plus the physical memory available now ({@code MemAvailable} of
 * /proc/meminfo, or the free physical memory where there is no /proc): deliberately generous, so that only a run that
 * certainly cannot fit is refused. {@link #setLimit} (the command line's {@code --memory-limit SIZE}) replaces it.
 */
public final class MemoryEstimate {

    /**
     * Bytes per activation real kept for the backward pass, in units of one real (autograd keeps inputs and outputs of
     * every operation; the footprints count each layer's features once).
     */
    static final double TRAIN_BYTES_PER_ACTIVATION = 4;
    /** Bytes per activation real of the largest layer while sampling without gradients, in units of one real. */
    static final double SAMPLE_BYTES_PER_ACTIVATION = 8;
    /** Copies of the link tensor per training sample (sample, log-det terms, action, their gradients). */
    static final double TRAIN_LINK_COPIES = 24;
    /** Copies of the link tensor per sample while sampling (sample, proposal batch, action, observables). */
    static final double SAMPLE_LINK_COPIES = 8;
    /** Copies of a chain's field held by the native HMC engine (momenta, force, the trajectory's copy). */
    static final double NATIVE_HMC_COPIES = 3;
    /**
     * Copies of a chain's field held by the LibTorch HMC engine: momenta, start, staples, forces and the temporaries of
     * the matrix exponential (about 90 measured for SU(3)).
     */
    static final double TORCH_HMC_COPIES = 140;
    /** Java bytes per row of a history file read back for the summary (strings, arrays). */
    static final double HISTORY_BYTES_PER_ROW = 400;

    private static volatile Double limitOverride;

    /** One item of an estimate. @param what what it is, @param bytes its size */
    public record Part(String what, double bytes) {}

    /** A run refused because its estimate exceeds the limit; the message has the estimate and the limit. */
    public static final class TooLargeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /** The limit in force and where it comes from. @param bytes the limit, @param source how it was found */
    public record Limit(double bytes, String source) {}

    private final String run;
    private final List<Part> parts;

    /** An estimate of {@code run} (e.g. "train u1 8x8, batch 256") made of {@code parts}. */
    public MemoryEstimate(String run, List<Part> parts) {
        this.run = run;
        this.parts = List.copyOf(parts);
    }

    /** What run this estimates. */
    public String run() { return run; }

    /** The items. */
    public List<Part> parts() { return parts; }

    /** The total in bytes (a double: sizes of absurd lattices exceed 2^63). */
    public double bytes() {
        return parts.stream().mapToDouble(Part::bytes).sum();
    }

    // ------------------------------------------------------------------ estimates

    /** Bytes of one configuration's links: d V N^2 complex numbers. */
    public static double linkBytes(GaugeGroup group, Lattice lattice, Precision precision) {
        double n = group.n();
        return lattice.dims() * (double) lattice.volume() * n * n * 2 * realBytes(precision);
    }

    private static double realBytes(Precision p) {
        return p == Precision.DOUBLE ? 8 : 4;
    }

    /**
     * Training ({@code gaugeflow train}): a batch of samples with everything kept for the backward pass, the
     * parameters with gradients and Adam moments, then the final evaluation in batches of {@code eval_batch}.
     */
    public static MemoryEstimate training(RunConfig cfg) {
        GaugeGroup g = cfg.theory().group();
        Lattice l = cfg.theory().lattice();
        Precision p = cfg.options().precision();
        ModelFootprint m = ModelRegistry.footprint(cfg.theory(), cfg.model());
        double batch = cfg.training().batch();
        double rb = realBytes(p);
        double v = l.volume();
        List<Part> parts = new ArrayList<>();
        double train = batch * (TRAIN_LINK_COPIES * linkBytes(g, l, p) + v * m.activationsPerSite() * rb * TRAIN_BYTES_PER_ACTIVATION);
        double eval = cfg.evalBatch() * sampleBytesPerSample(g, l, p, m);
        parts.add(new Part(train >= eval ? "training batch" : "evaluation batch", Math.max(train, eval)));
        parts.add(new Part("parameters", 4 * m.parameters() * rb));
        parts.add(new Part("log weights", 3 * 8.0 * cfg.evalSamples()));
        return new MemoryEstimate("train " + g.name() + " " + l + ", batch " + cfg.training().batch() + ", "
                + cfg.modelType() + ", " + p.label(), parts);
    }

    /** Evaluation ({@code gaugeflow eval}): {@code samples} fresh samples drawn in batches of {@code batch}. */
    public static MemoryEstimate evaluation(RunConfig cfg, long samples, long batch) {
        GaugeGroup g = cfg.theory().group();
        Lattice l = cfg.theory().lattice();
        Precision p = cfg.options().precision();
        ModelFootprint m = ModelRegistry.footprint(cfg.theory(), cfg.model());
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("sampling batch", Math.min(batch, samples) * sampleBytesPerSample(g, l, p, m)));
        parts.add(new Part("parameters", m.parameters() * realBytes(p)));
        parts.add(new Part("log weights", 3 * 8.0 * samples));
        return new MemoryEstimate("eval " + g.name() + " " + l + ", batch " + batch + ", " + samples + " samples", parts);
    }

    private static double sampleBytesPerSample(GaugeGroup g, Lattice l, Precision p, ModelFootprint m) {
        return SAMPLE_LINK_COPIES * linkBytes(g, l, p)
                + (double) l.volume() * m.largestLayerPerSite() * realBytes(p) * SAMPLE_BYTES_PER_ACTIVATION;
    }

    /**
     * A Markov chain ({@code gaugeflow sample}, the demo): the chain's field (float64) and its checkpoint buffers,
     * HMC working copies when it has HMC updates, a batch of flow proposals when it has flow updates, and the
     * history read back for the summary.
     *
     * @param model        the proposal model (null without flow updates)
     * @param modelPrecision precision of the model's samples
     * @param proposalBatch proposals drawn per batch
     * @param engine       HMC engine name, or null without HMC updates
     * @param updates      total updates of the chain
     */
    public static MemoryEstimate chain(GaugeGroup g, Lattice l, ModelFootprint model, Precision modelPrecision,
            int proposalBatch, String engine, long updates) {
        double field = linkBytes(g, l, Precision.DOUBLE);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("chain state and checkpoint buffers", 5 * field));
        if (engine != null) parts.add(new Part("HMC (" + engine + ")", hmcCopies(engine) * field));
        if (model != null) {
            parts.add(new Part("proposal batch", proposalBatch * sampleBytesPerSample(g, l, modelPrecision, model)));
            parts.add(new Part("parameters", model.parameters() * realBytes(modelPrecision)));
        }
        parts.add(new Part("history", HISTORY_BYTES_PER_ROW * updates));
        return new MemoryEstimate("sample " + g.name() + " " + l + (model != null ? ", proposal batch " + proposalBatch : "")
                + ", " + updates + " updates", parts);
    }

    /**
     * HMC production ({@code gaugeflow hmc}): {@code chains} fields in float64 with the engine's working copies, the
     * checkpoint buffers, and the history read back for the summary.
     */
    public static MemoryEstimate hmc(GaugeGroup g, Lattice l, int chains, String engine, long trajectories) {
        double field = chains * linkBytes(g, l, Precision.DOUBLE);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("fields (" + chains + " chains)", field));
        parts.add(new Part("HMC (" + engine + ")", hmcCopies(engine) * field));
        parts.add(new Part("checkpoint buffers", 4 * field));
        parts.add(new Part("history", HISTORY_BYTES_PER_ROW * (double) trajectories * chains));
        return new MemoryEstimate("hmc " + g.name() + " " + l + ", " + chains + " chain(s), " + engine + " engine", parts);
    }

    private static double hmcCopies(String engine) {
        return "native".equals(engine) ? NATIVE_HMC_COPIES : TORCH_HMC_COPIES;
    }

    // ------------------------------------------------------------------ the check

    /**
     * Refuses the run when the estimate exceeds {@link #limit()}, with a one-line message holding the estimate,
     * its largest item and the limit; returns the estimate otherwise.
     */
    public MemoryEstimate require() {
        Limit limit = limit();
        double need = bytes();
        if (need > limit.bytes()) {
            Part big = parts.stream().max(java.util.Comparator.comparingDouble(Part::bytes)).orElse(new Part("?", need));
            throw new TooLargeException("memory: " + run + " needs about " + format(need) + " (estimate; largest item: "
                    + big.what() + " " + format(big.bytes()) + "), more than the limit of " + format(limit.bytes()) + " ("
                    + limit.source() + "); expected a smaller lattice or batch, or a higher --memory-limit SIZE");
        }
        return this;
    }

    /** Sets the limit in bytes for this process (the command line's {@code --memory-limit}); null restores the default. */
    public static void setLimit(Long bytes) {
        if (bytes != null && bytes <= 0) throw new IllegalArgumentException("memory limit " + bytes + ": expected > 0 bytes");
        limitOverride = bytes == null ? null : bytes.doubleValue();
    }

    /** The limit in force: the one set, else the JVM's max heap plus the available physical memory. */
    public static Limit limit() {
        Double set = limitOverride;
        if (set != null) return new Limit(set, "--memory-limit");
        double heap = Runtime.getRuntime().maxMemory();
        double available = availableMemory();
        return new Limit(heap + available, "JVM max heap " + format(heap) + " + available memory " + format(available));
    }

    /** The physical memory available to new allocations: MemAvailable of /proc/meminfo, else the OS's free memory. */
    public static double availableMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    String[] f = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    return Double.parseDouble(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getFreeMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** Parses a size: bytes, or a number with K, M, G, T (powers of 1024, optional trailing B/iB): "64G", "1.5T". */
    public static long parseSize(String text) {
        String s = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        double unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                case 'P' -> unit = 1L << 50;
                default -> unit = 1;
            }
            if (unit > 1) s = s.substring(0, s.length() - 1).trim();
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        double bytes = v * unit;
        if (!(bytes >= 1) || bytes > Long.MAX_VALUE) {
            throw new IllegalArgumentException("memory limit '" + text + "': expected a size like 16G, 512M or 1.5T");
        }
        return (long) bytes;
    }

    /** A size as people read it: "512 B", "3.2 MB", "1.1 PB" (powers of 1024). */
    public static String format(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) return String.format(Locale.ROOT, "%.0f B", v);
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.3g %s", v, units[u]);
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder(run).append(": about ").append(format(bytes())).append(" (");
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(parts.get(i).what()).append(' ').append(format(parts.get(i).bytes()));
        }
        return b.append(')').toString();
    }
}
