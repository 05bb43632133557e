package org.gaugeflow.bench;

import org.gaugeflow.GaugeflowVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.io.ildg.FilePrecision;
import org.gaugeflow.io.ildg.IldgConfiguration;
import org.gaugeflow.io.ildg.IldgReader;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.gaugeflow.tensor.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gaugeflow ildg bench}: write and read throughput of an SU(3) configuration (checksum
 * included, write fsynced and renamed, read verified) as a ratio to the sequential bandwidth that
 * {@code dd} measures on the same folder in the same run. Before each timed read the file's pages are
 * dropped from the page cache ({@code dd iflag=nocache}), for dd's reference read too.
 */
@Command(name = "ildg", mixinStandardHelpOptions = true,
        description = "Benchmark ILDG write/read throughput against dd's sequential bandwidth (prints JSON).")
final class IldgBench implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--lattice", paramLabel = "LxLxLxT", defaultValue = "16x16x16x16", description = "Lattice (default ${DEFAULT-VALUE}).")
    String lattice;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Folder for the test files (removed after).")
    Path dir;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions (default ${DEFAULT-VALUE}); the median is reported.")
    int repeat;

    @Option(names = "--precision", paramLabel = "32|64", defaultValue = "64", description = "File precision (default ${DEFAULT-VALUE}).")
    int bits;

    @Override public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dir " + dir + ": no such folder");
        }
        if (repeat < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeat " + repeat + ": expected >= 1");
        }
        Precision precision;
        Lattice lat;
        try {
            precision = FilePrecision.ofBits(bits);
            lat = Lattice.parse(lattice);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TorchRuntime.configure();
        Path file = dir.resolve("bench-" + lattice + ".lime");
        Path ddFile = dir.resolve("bench-dd.bin");
        List<Double> writes = new ArrayList<>();
        List<Double> reads = new ArrayList<>();
        List<Double> ddWrites = new ArrayList<>();
        List<Double> ddReads = new ArrayList<>();
        long size;
        try (PointerScope scope = new PointerScope(); Rng rng = new Rng(1, FieldOptions.CPU_DOUBLE)) {
            Tensor links = GaugeField.haar(new SUN(3), lat, 1, rng).toIldgOrder(0);
            IldgWriter.Options opts = IldgWriter.Options.of(precision,
                    new Provenance(GaugeflowVersion.describe(), "wilson", null, "bench", 0L, null));
            IldgWriter.write(file, links, opts); // warm-up (JIT, allocation)
            size = Files.size(file);
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                IldgWriter.write(file, links, opts);
                writes.add(rate(size, System.nanoTime() - t0));

                dropCache(file);
                try (PointerScope inner = new PointerScope()) {
                    long t1 = System.nanoTime();
                    IldgConfiguration c = IldgReader.read(file);
                    reads.add(rate(size, System.nanoTime() - t1));
                    if (!c.checksumOk().orElse(false)) {
                        throw new IOException(file + ": checksum did not verify in the benchmark");
                    }
                }
                ddWrites.add(ddWrite(ddFile, size));
                dropCache(ddFile);
                ddReads.add(ddRead(ddFile));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(ddFile);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lattice", lattice);
        out.put("precision", bits);
        out.put("file_bytes", size);
        out.put("repeat", repeat);
        out.put("threads", TorchRuntime.threads());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("write_MBps", median(writes));
        out.put("read_MBps", median(reads));
        out.put("dd_write_MBps", median(ddWrites));
        out.put("dd_read_MBps", median(ddReads));
        out.put("write_ratio", median(writes) / median(ddWrites));
        out.put("read_ratio", median(reads) / median(ddReads));
        out.put("all", Map.of("write", writes, "read", reads, "dd_write", ddWrites, "dd_read", ddReads));
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        return 0;
    }

    private static double rate(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Sequential write of the same number of bytes, 4 MiB blocks, fsynced at the end. */
    private static double ddWrite(Path f, long bytes) throws IOException, InterruptedException {
        long blocks = (bytes + (4 << 20) - 1) / (4 << 20);
        return dd("if=/dev/zero", "of=" + f, "bs=4M", "count=" + blocks, "conv=fsync");
    }

    private static double ddRead(Path f) throws IOException, InterruptedException {
        return dd("if=" + f, "of=/dev/null", "bs=4M");
    }

    /** Evicts a file's pages from the page cache (GNU dd's nocache flag, posix_fadvise DONTNEED). */
    private static void dropCache(Path f) throws IOException, InterruptedException {
        dd("if=" + f, "iflag=nocache", "count=0");
    }

    private static final Pattern DD_RATE = Pattern.compile("(\\d+) bytes.*? copied, ([0-9.eE+-]+) s");

    /** Runs dd and returns its throughput in MB/s (0 for a zero-byte run). */
    private static double dd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dd"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("dd " + String.join(" ", args) + " failed: " + outText.strip().replace('\n', ' '));
        }
        Matcher m = DD_RATE.matcher(outText);
        if (!m.find()) {
            throw new IOException("cannot read dd's output: " + outText.strip().replace('\n', ' '));
        }
        long bytes = Long.parseLong(m.group(1));
        double secs = Double.parseDouble(m.group(2));
        return bytes == 0 ? 0 : bytes / 1e6 / secs;
    }
}
