package org.gaugeflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.field.GaugeField;
import org.gaugeflow.group.SUN;
import org.gaugeflow.io.ildg.IldgWriter;
import org.gaugeflow.io.ildg.Provenance;
import org.gaugeflow.lattice.Lattice;
import org.gaugeflow.tensor.FieldOptions;
import org.gaugeflow.tensor.Precision;
import org.gaugeflow.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed (SIGKILL) in the middle of writing a configuration leaves nothing under the final name. */
class IldgKilledWriteTest {

    @TempDir
    Path dir;

    /** The child: writes a 12^4 SU(3) file (12 MB, 3 chunks), announcing each chunk and pausing after it. */
    public static final class SlowWriter {
        public static void main(String[] args) throws Exception {
            try (PointerScope s = new PointerScope(); Rng rng = new Rng(3, FieldOptions.CPU_DOUBLE)) {
                Tensor links = GaugeField.haar(new SUN(3), Lattice.parse("12x12x12x12"), 1, rng).toIldgOrder(0);
                IldgWriter.Options opts = IldgWriter.Options.of(Precision.DOUBLE,
                        new Provenance("test", "wilson", 6.0, "hmc", 1L, null)).withProgress(bytes -> {
                            System.out.println("chunk " + bytes);
                            System.out.flush();
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                IldgWriter.write(Paths.get(args[0]), links, opts);
            }
        }
    }

    @Test
    void killedWriterLeavesNoFileUnderTheFinalName() throws Exception {
        Path target = dir.resolve("conf.lime");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(),
                target.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("chunk "), "child did not start writing: " + first);
            p.destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(137, p.exitValue(), "child must have been killed by SIGKILL");
        assertFalse(Files.exists(target), "a killed write must not leave " + target);
        List<Path> left;
        try (Stream<Path> s = Files.list(dir)) {
            left = s.toList();
        }
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).getFileName().toString().matches("\\.conf\\.lime\\.[0-9a-z]+\\.tmp"), left.toString());
        assertTrue(Files.size(left.get(0)) > 0 && Files.size(left.get(0)) < 12L * 12 * 12 * 12 * 576);

        // the next write of that target removes the leftover of the killed one (unlocked now that its writer is dead)
        try (PointerScope s = new PointerScope(); Rng rng = new Rng(4, FieldOptions.CPU_DOUBLE)) {
            Tensor links = GaugeField.haar(new SUN(3), Lattice.parse("2x2x2x2"), 1, rng).toIldgOrder(0);
            IldgWriter.write(target, links, IldgWriter.Options.of(Precision.DOUBLE, new Provenance("test", "wilson", 6.0, "hmc", 2L, null)));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "only the new file is left");
        }
    }
}
