package org.gaugeflow.io.nersc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing half-written: a write that fails midway leaves no file under the final name (no LibTorch). */
class NerscAtomicWriteTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aWriteThatFailsMidwayLeavesNoFile() throws Exception {
        // 10x10x10x8 at 576 bytes a site is 4.6 MB: two 4 MiB chunks, the failure comes after the first.
        int[] ext = {10, 10, 10, 8};
        Path target = dir.resolve("conf.nersc");
        AtomicLong seen = new AtomicLong();
        NerscWriter.Options failing = NerscWriter.Options.defaults().withProgress(bytes -> {
            seen.set(bytes);
            throw new IllegalStateException("disk full (simulated)");
        });
        assertThrows(IllegalStateException.class, () -> NerscWriter.write(target, NerscTestFields.unit(ext), ext, failing));
        assertTrue(seen.get() > 0 && seen.get() < 8000L * 576, "failed midway: " + seen.get());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), files(), "no temporary file left either");
    }

    @Test
    void aFailedOverwriteKeepsTheOldFile() throws Exception {
        int[] ext = {2, 2, 2, 2};
        Path target = dir.resolve("conf.nersc");
        NerscWriter.write(target, NerscTestFields.unit(ext), ext, NerscWriter.Options.defaults());
        byte[] before = Files.readAllBytes(target);
        NerscWriter.Options failing = NerscWriter.Options.defaults().withBits(32).withProgress(bytes -> {
            throw new IllegalStateException("simulated");
        });
        assertThrows(IllegalStateException.class, () -> NerscWriter.write(target, NerscTestFields.unit(ext), ext, failing));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void nonFiniteOrNonSu3LinksAreRefusedBeforeAnythingIsWritten() {
        int[] ext = {2, 2, 2, 2};
        double[] u = NerscTestFields.unit(ext);
        u[18 * 5 + 3] = Double.POSITIVE_INFINITY;
        Path target = dir.resolve("conf.nersc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NerscWriter.write(target, u, ext, NerscWriter.Options.defaults()));
        assertEquals("link site (1,0,0,0) mu 1 entry (0,1) im is Infinity: refusing to write non-finite links",
                e.getMessage());
        double[] v = NerscTestFields.unit(ext);
        v[0] = 1.1;
        e = assertThrows(IllegalArgumentException.class,
                () -> NerscWriter.write(target, v, ext, NerscWriter.Options.defaults()));
        assertTrue(e.getMessage().startsWith("links are not SU(3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NerscWriter.write(target, new double[10], ext, NerscWriter.Options.defaults()));
        assertFalse(Files.exists(target));
    }
}
