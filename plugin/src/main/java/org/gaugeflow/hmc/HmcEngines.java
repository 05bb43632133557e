package org.gaugeflow.hmc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.tensor.FieldOptions;

/**
 * The one place where HMC engines are chosen by name ({@code --engine}): {@code native} (the C++ engine, CPU,
 * U(1), SU(2), SU(3)) and {@code torch} (LibTorch tensors, any SU(N), CPU or CUDA). Each name maps to a factory
 * that checks whether the engine can run the group on the device here, with a one-line reason when it cannot.
 * Further engines (Grid) register themselves here.
 */
public final class HmcEngines {

    /** Creates an engine for a group and device, or explains why it cannot. */
    public interface Factory {
        /** Null if the engine can run {@code group} on {@code options}' device here, else the one-line reason. */
        String unavailable(GaugeGroup group, FieldOptions options);

        /** A new engine with seed {@code seed}; the caller closes it. */
        HmcEngine create(long seed, FieldOptions options);
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        register("native", new Factory() {
            @Override public String unavailable(GaugeGroup group, FieldOptions options) {
                if (!NativeEngine.available()) return "the native library is not available (" + NativeEngine.unavailableReason() + ")";
                if (group.n() > 3) return "it supports u1, su2 and su3, not " + group.name();
                if (options.isCuda()) return "it runs on the CPU, not on " + options.device();
                return null;
            }

            @Override public HmcEngine create(long seed, FieldOptions options) { return new NativeHmcEngine(seed); }
        });
        register("torch", new Factory() {
            @Override public String unavailable(GaugeGroup group, FieldOptions options) { return null; }

            @Override public HmcEngine create(long seed, FieldOptions options) { return new TorchHmcEngine(seed, options); }
        });
    }

    private HmcEngines() {}

    /** Adds (or replaces) an engine. */
    public static synchronized void register(String name, Factory factory) { FACTORIES.put(name, factory); }

    /** The registered engine names. */
    public static synchronized Set<String> names() { return Set.copyOf(FACTORIES.keySet()); }

    /** Whether the named engine can run {@code group} on {@code options} here. */
    public static synchronized boolean available(String name, GaugeGroup group, FieldOptions options) {
        Factory f = FACTORIES.get(name);
        return f != null && f.unavailable(group, options) == null;
    }

    /**
     * A new engine by name for {@code group} on {@code options}' device; a one-line error names the engine and the
     * reason when it is unknown or cannot run here. The caller closes it (or hands it to a chain).
     */
    public static synchronized HmcEngine create(String name, long seed, GaugeGroup group, FieldOptions options) {
        String key = name == null ? "" : name.trim().toLowerCase();
        Factory f = FACTORIES.get(key);
        if (f == null) throw new IllegalArgumentException("engine '" + name + "': expected one of " + FACTORIES.keySet());
        String why = f.unavailable(group, options);
        if (why != null) throw new IllegalArgumentException("engine " + key + ": " + why);
        return f.create(seed, options);
    }
}
