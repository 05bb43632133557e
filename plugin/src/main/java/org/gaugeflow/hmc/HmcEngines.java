package org.gaugeflow.hmc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;

/**
 * The one place where HMC engines are chosen by name ({@code --engine}): {@code native} (the C++ engine, CPU,
 * U(1), SU(2), SU(3)) and {@code torch} (LibTorch tensors, any SU(N), CPU or CUDA). Each name maps to a factory
 * that checks whether the engine can run the group on the device here, with a one-line reason when it cannot.
 * Further engines come from modules the library does not depend on, through the service-provider interface
 * {@link HmcEngineProvider} ({@link ServiceLoader}): the Grid bridge (module {@code grid}) adds {@code grid}
 * whenever it is on the class path. Built-in names cannot be replaced by a provider.
 */
public final class HmcEngines {

    /** Creates an engine for a group and device, or explains why it cannot. */
    public interface Factory {
        /** Null if the engine can run {@code group} on {@code options}' device here, else the one-line reason. */
        String unavailable(GaugeGroup group, FieldOptions options);

        /** A new engine with seed {@code seed}; the caller closes it. */
        HmcEngine create(long seed, FieldOptions options);

        /**
         * Null if the engine can run this lattice with these MD parameters, else the one-line reason (checked before
         * any work by {@link HmcEngines#create(String, long, GaugeGroup, Lattice, HmcParameters, FieldOptions)}). The
         * default refuses the integrators the engine does not have ({@link Integrator#FORCE_GRADIENT}: Grid only).
         */
        default String unsupported(Lattice lattice, HmcParameters params) {
            return params != null && params.integrator() == Integrator.FORCE_GRADIENT
                    ? "integrator force-gradient is only available with --engine grid (Grid's ForceGradient)" : null;
        }
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
        discover();
    }

    /** Registers the engines of every {@link HmcEngineProvider} on the class path (never replacing a built-in). */
    private static void discover() {
        try {
            for (HmcEngineProvider p : ServiceLoader.load(HmcEngineProvider.class, HmcEngines.class.getClassLoader())) {
                String key = p.name() == null ? "" : p.name().trim().toLowerCase();
                if (!key.isEmpty() && !FACTORIES.containsKey(key) && p.factory() != null) FACTORIES.put(key, p.factory());
            }
        } catch (ServiceConfigurationError e) {
            org.slf4j.LoggerFactory.getLogger(HmcEngines.class).warn("HMC engine providers: {}", e.getMessage());
        }
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
        return create(name, seed, group, null, null, options);
    }

    /**
     * As {@link #create(String, long, GaugeGroup, FieldOptions)}, and also checks before any work that the engine
     * runs {@code lattice} with {@code params} ({@link Factory#unsupported}); null lattice or params skip that check.
     */
    public static synchronized HmcEngine create(String name, long seed, GaugeGroup group, Lattice lattice, HmcParameters params,
            FieldOptions options) {
        String key = name == null ? "" : name.trim().toLowerCase();
        Factory f = FACTORIES.get(key);
        if (f == null) throw new IllegalArgumentException("engine '" + name + "': expected one of " + FACTORIES.keySet());
        String why = f.unavailable(group, options);
        if (why == null && (lattice != null || params != null)) why = f.unsupported(lattice, params);
        if (why != null) throw new IllegalArgumentException("engine " + key + ": " + why);
        return f.create(seed, options);
    }
}
