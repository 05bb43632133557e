package org.gaugeflow.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.bindings.NativeLattice;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.GaugeGroup;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.NativeHmcEngine;
import org.gaugeflow.hmc.TorchMolecularDynamics;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.WilsonAction;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Rng;

/**
 * HMC benchmark (BENCHMARKS.md, "HMC"): for one lattice, the memory bandwidth of a plain copy (native
 * and LibTorch, the in-run reference), the sustained GFLOP/s of the gauge force (nominal count of
 * gaugeflow_engine.h, gf_force_flops) and trajectories per second, for each engine. Timings only:
 * nothing here is a test assertion.
 */
public final class HmcBenchmark {

    private final String group;
    private final Lattice lattice;
    private final HmcParameters params;

    public HmcBenchmark(String group, Lattice lattice, HmcParameters params) {
        this.group = group;
        this.lattice = lattice;
        this.params = params;
    }

    /** GB/s of dst = src over {@code bytes} (read + write counted), best of reps, for native and torch. */
    public static Map<String, Object> copyBandwidth(long bytes, int reps) {
        Map<String, Object> m = new LinkedHashMap<>();
        long n = bytes / 8;
        try (PointerScope scope = new PointerScope()) {
            DoublePointer src = new DoublePointer(n);
            DoublePointer dst = new DoublePointer(n);
            NativeEngine.gf_copy(src, dst, n); // touch the pages
            NativeEngine.gf_copy(dst, src, n);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                NativeEngine.gf_copy(dst, src, n);
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            }
            m.put("native_copy_GBps", 2.0 * bytes / best * 1e-9);
            Tensor a = torch.ones(new long[] {n}, new TensorOptions(torch.ScalarType.Double));
            Tensor b = torch.zeros(new long[] {n}, new TensorOptions(torch.ScalarType.Double));
            b.copy_(a);
            best = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                b.copy_(a);
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            }
            m.put("torch_copy_GBps", 2.0 * bytes / best * 1e-9);
        }
        m.put("copy_bytes", bytes);
        return m;
    }

    /** CPU time of this process (all threads), in seconds: robust against other processes' load. */
    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() * 1e-9;
        }
        return Double.NaN;
    }

    private GaugeField hotField() {
        try (Rng rng = new Rng(1, FieldOptions.CPU_DOUBLE)) {
            GaugeField f = GaugeField.haar(GaugeGroup.parse(group), lattice, 1, rng);
            return f.withLinks(f.links().contiguous());
        }
    }

    /**
     * Seconds per force evaluation (wall: best of reps; CPU: mean) and GFLOP/s, for "native", "torch" or "grid" (Grid's
     * WilsonGaugeAction::deriv and Ta projection, timed inside the shim on a field already in Grid's layout).
     */
    public Map<String, Object> force(String engine, int reps) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = hotField();
            NativeLattice nat = new NativeLattice(f.group().n(), lattice.extents());
            Tensor out = torch.zeros_like(f.links());
            double best = Double.MAX_VALUE;
            double totalCpu = 0.0;
            if (engine.equals("grid")) {
                org.gaugeflow.grid.GridLattice grid = new org.gaugeflow.grid.GridLattice(lattice);
                double c0 = processCpuSeconds();
                best = grid.forceSeconds(f.links(), 0, params.beta(), reps);
                totalCpu = (processCpuSeconds() - c0) * reps / (reps + 1.0);   // reps + 1 evaluations (one warm-up)
            }
            for (int r = 0; r < (engine.equals("grid") ? 0 : reps + 1); r++) {
                try (PointerScope inner = new PointerScope()) {
                    double c0 = processCpuSeconds();
                    long t0 = System.nanoTime();
                    if (engine.equals("native")) {
                        nat.force(f.links(), 0, params.beta(), out, 0);
                    } else {
                        out.copy_(TorchMolecularDynamics.force(f, params.beta()));
                    }
                    double s = (System.nanoTime() - t0) * 1e-9;
                    double cpu = processCpuSeconds() - c0;
                    if (r > 0) {
                        best = Math.min(best, s); // the first call warms up
                        totalCpu += cpu;
                    }
                }
            }
            double flops = nat.forceFlops();
            m.put("force_seconds", best);
            m.put("force_GFLOPs", flops / best * 1e-9);
            // process CPU time has a coarse clock: mean over the reps
            m.put("force_cpu_seconds", totalCpu / reps);
            m.put("force_GFLOP_per_cpu_second", flops / (totalCpu / reps) * 1e-9);
            // minimal traffic: read the links once, write the force once
            m.put("force_min_traffic_GBps", 2.0 * 8 * nat.fieldDoubles() / best * 1e-9);
            m.put("force_flops", flops);
        }
        return m;
    }

    /**
     * A field near equilibrium for timing: a cold start heated by {@code warm} molecular-dynamics
     * trajectories with fresh momenta and no Metropolis step (native engine), so the momenta and
     * forces have their equilibrium size (a Haar-random start would inflate the exponential's cost).
     */
    public Tensor warmField(int warm) {
        GaugeField f = GaugeField.unit(GaugeGroup.parse(group), lattice, 1, FieldOptions.CPU_DOUBLE);
        try (NativeHmcEngine e = new NativeHmcEngine(2)) {
            for (int k = 0; k < warm; k++) {
                try (PointerScope inner = new PointerScope()) {
                    e.integrate(f, e.randomMomenta(f), params);
                }
            }
        }
        return f.links();
    }

    /**
     * Seconds per trajectory (mean over n after one warm-up; wall and process CPU time) and acceptance,
     * starting from {@code start} (see {@link #warmField}).
     */
    public Map<String, Object> trajectories(String engine, int n, Tensor start) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            GaugeField f = new GaugeField(GaugeGroup.parse(group), lattice, start.clone());
            try (HmcEngine e = HmcEngines.create(engine, 1, f.group(), FieldOptions.CPU_DOUBLE)) {
            try (PointerScope warm = new PointerScope()) {
                e.trajectory(f, params);
            }
            double c0 = processCpuSeconds();
            long t0 = System.nanoTime();
            int accepted = 0;
            for (int k = 0; k < n; k++) {
                try (PointerScope inner = new PointerScope()) {
                    accepted += e.trajectory(f, params)[0].accepted() ? 1 : 0;
                }
            }
            double s = (System.nanoTime() - t0) * 1e-9 / n;
            double cpu = (processCpuSeconds() - c0) / n;
            m.put("seconds_per_trajectory", s);
            m.put("trajectories_per_second", 1.0 / s);
            m.put("cpu_seconds_per_trajectory", cpu);
            m.put("acceptance", (double) accepted / n);
            m.put("plaquette_after", WilsonAction.averagePlaquette(f).item_double());
            m.put("trajectories", n);
            }
        }
        return m;
    }
}
