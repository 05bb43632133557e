package org.gaugeflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gaugeflow.analysis.GammaMethod;
import org.gaugeflow.analysis.GammaResult;
import org.gaugeflow.bindings.NativeEngine;
import org.gaugeflow.chain.HybridChain;
import org.gaugeflow.chain.Schedule;
import org.gaugeflow.chain.Start;
import org.gaugeflow.chain.UpdateKind;
import org.gaugeflow.experiments.Demo;
import org.gaugeflow.flow.Density;
import org.gaugeflow.group.U1;
import org.gaugeflow.hmc.HmcEngine;
import org.gaugeflow.io.AtomicFileWriter;
import org.gaugeflow.hmc.HmcEngines;
import org.gaugeflow.hmc.HmcParameters;
import org.gaugeflow.hmc.Integrator;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.physics.ExactU1TwoD;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.TorchRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/run chain}: the chain benchmark of docs/results.md ("Chains"): tau_int of the plaquette and of Q^2 per
 * unit of compute for HMC alone, independence Metropolis and the hybrid chain, 2D U(1), with the demo's multiscale
 * model trained per (L, beta).
 */
@Command(name = "chain", mixinStandardHelpOptions = true,
        description = "tau_int per unit of compute: HMC, independence Metropolis and hybrid chains, 2D U(1).")
final class ChainBench implements Callable<Integer> {
    @Option(names = "--lattices", defaultValue = "8,16", description = "Extents L of L x L lattices (default ${DEFAULT-VALUE}).")
    String lattices;
    @Option(names = "--betas", defaultValue = "2,4,6", description = "Couplings (default ${DEFAULT-VALUE}).")
    String betaList;
    @Option(names = "--n", defaultValue = "20000", description = "Updates of the flow chains; HMC gets n/4 (default ${DEFAULT-VALUE}).")
    long n;
    @Option(names = "--train", defaultValue = "200", description = "Training steps of the demo's model (default ${DEFAULT-VALUE}).")
    int train;
    @Option(names = "--out", defaultValue = "target/chain-bench.md", description = "Table file (default ${DEFAULT-VALUE}).")
    Path out;

    record Row(String chain, String lattice, double beta, long n, double seconds, String acceptance, GammaResult plaq,
            GammaResult q2, double exactPlaq, double exactQ2) {}

    @Override public Integer call() throws Exception {
        TorchRuntime.configure();
        int[] ls = ints(lattices);
        double[] betas = doubles(betaList);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "machine: %d cores, %d torch threads, native engine %s; train %d steps x 64 (the demo's model)",
                Runtime.getRuntime().availableProcessors(), TorchRuntime.threads(), NativeEngine.available(), train));
        lines.add("| chain | lattice | beta | updates | s | ms/update | acceptance | tau_int plaq | tau_int Q^2 "
                + "| ms per indep. plaq | ms per indep. Q^2 | plaquette (exact) | Q^2 (exact) |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int l : ls) {
            for (double beta : betas) {
                Lattice lat = new Lattice(l, l);
                ExactU1TwoD exact = new ExactU1TwoD(beta, lat.volume());
                long t0 = System.nanoTime();
                Path dir = Files.createTempDirectory("chain-bench");
                Density m = Demo.trainModel(dir.resolve("model"), lat, beta, train, 1, null).density();
                lines.add(String.format(Locale.ROOT, "| train | %s | %g | %d steps | %.1f | | | | | | | | |",
                        lat, beta, train, (System.nanoTime() - t0) * 1e-9));
                print(lines);
                int steps = (int) Math.ceil(8 * Math.sqrt(beta / 2.0) * l / 8.0);
                HmcParameters hp = new HmcParameters(beta, 1.0, steps, Integrator.OMELYAN);
                for (String chain : new String[] {"hmc", "independence", "hybrid"}) {
                    HybridChain.Builder b = new HybridChain.Builder().theory(U1.INSTANCE, lat, beta).seed(7)
                            .proposalBatch(256).chainId("bench");
                    long nn = n;
                    switch (chain) {
                        case "hmc" -> { b.schedule(Schedule.hmcOnly()).start(Start.hot()); nn = n / 4; }
                        case "independence" -> b.schedule(Schedule.independence());
                        default -> b.schedule(new Schedule(1, 3));
                    }
                    if (!chain.equals("independence")) b.hmc(engine(), hp);
                    if (!chain.equals("hmc")) b.model(m, FieldOptions.CPU_DOUBLE, "multiscale", "bench");
                    Row r = runOne(chain, b, nn, lat, beta, exact);
                    lines.add(format(r));
                    print(lines);
                }
                Files.createDirectories(out.toAbsolutePath().getParent());
                AtomicFileWriter.write(out, String.join("\n", lines) + "\n");
            }
        }
        return 0;
    }

    private static HmcEngine engine() {
        String name = NativeEngine.available() ? "native" : "torch";
        return HmcEngines.create(name, 7, U1.INSTANCE, FieldOptions.CPU_DOUBLE);
    }

    private static Row runOne(String chain, HybridChain.Builder b, long n, Lattice lat, double beta, ExactU1TwoD exact)
            throws Exception {
        long therm = n / 10;
        double[] plaq = new double[(int) (n - therm)];
        double[] q2 = new double[plaq.length];
        long t0 = System.nanoTime();
        String acc;
        try (HybridChain c = b.build()) {
            c.run(n, (r, s) -> {
                if (r.update() <= therm) return;
                int i = (int) (r.update() - therm - 1);
                plaq[i] = r.observables()[0];
                q2[i] = r.observables()[1] * r.observables()[1];
            });
            StringBuilder a = new StringBuilder();
            for (UpdateKind k : UpdateKind.values()) {
                if (c.state().proposed(k) > 0) a.append(String.format(Locale.ROOT, "%s %.3f ", k.label(), c.state().acceptance(k)));
            }
            acc = a.toString().trim();
        }
        double sec = (System.nanoTime() - t0) * 1e-9;
        return new Row(chain, lat.toString(), beta, n, sec, acc, GammaMethod.analyze(plaq), GammaMethod.analyze(q2),
                exact.plaquette(), exact.topologicalChargeSquared());
    }

    private static String format(Row r) {
        double msPer = r.seconds() / r.n() * 1e3;
        String tq = r.q2().error() == 0 ? "frozen" : String.format(Locale.ROOT, "%.1f(%.1f)", r.q2().tauInt(), r.q2().tauIntError());
        String cq = r.q2().error() == 0 ? "inf" : String.format(Locale.ROOT, "%.1f", 2 * r.q2().tauInt() * msPer);
        return String.format(Locale.ROOT, "| %s | %s | %g | %d | %.1f | %.2f | %s | %.1f(%.1f) | %s | %.1f | %s | "
                + "%.5f(%.0f) (%.5f) | %.3f(%.0f) (%.3f) |", r.chain(), r.lattice(), r.beta(), r.n(), r.seconds(), msPer,
                r.acceptance(), r.plaq().tauInt(), r.plaq().tauIntError(), tq, 2 * r.plaq().tauInt() * msPer, cq,
                r.plaq().mean(), r.plaq().error() * 1e5, r.exactPlaq(), r.q2().mean(), r.q2().error() * 1e3, r.exactQ2());
    }

    private static void print(List<String> lines) { System.out.println(lines.get(lines.size() - 1)); }

    private static int[] ints(String s) {
        return java.util.Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    }

    private static double[] doubles(String s) {
        return java.util.Arrays.stream(s.split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
    }
}
