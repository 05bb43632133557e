package org.gaugeflow.io.ildg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.gaugeflow.group.SUN;
import org.gaugeflow.tensor.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that stops midway leaves nothing under the final name (and no temporary file). */
class IldgAtomicWriteTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void interruptedWriteLeavesNoFile() throws Exception {
        try (PointerScope scope = new PointerScope()) {
            // 10^4 SU(3) at 64 bits is 5.8 MB: more than one 4 MiB chunk, so the interrupt lands midway.
            Tensor u = TestConfigs.haarIldg(new SUN(3), "10x10x10x10", 1);
            Path target = dir.resolve("conf.lime");
            AtomicLong seen = new AtomicLong();
            IldgWriter.Options opts = TestConfigs.options(Precision.DOUBLE).withProgress(bytes -> {
                seen.set(bytes);
                Thread.currentThread().interrupt();
            });
            try {
                assertThrows(ClosedByInterruptException.class, () -> IldgWriter.write(target, u, opts));
            } finally {
                Thread.interrupted();
            }
            assertTrue(seen.get() > 0 && seen.get() < 10L * 10 * 10 * 10 * 576, "interrupted midway: " + seen.get());
            assertFalse(Files.exists(target));
            assertEquals(List.of(), files());
        }
    }

    @Test
    void failedOverwriteKeepsTheOldFile() throws Exception {
        try (PointerScope scope = new PointerScope()) {
            Path target = dir.resolve("conf.lime");
            IldgWriter.write(target, TestConfigs.haarIldg(new SUN(3), "2x2x2x2", 1), TestConfigs.options(Precision.DOUBLE));
            byte[] before = Files.readAllBytes(target);
            IldgWriter.Options failing = TestConfigs.options(Precision.DOUBLE).withProgress(bytes -> {
                throw new IllegalStateException("disk full (simulated)");
            });
            assertThrows(IllegalStateException.class, () -> IldgWriter.write(target,
                    TestConfigs.haarIldg(new SUN(3), "2x2x2x2", 2), failing));
            assertArrayEquals(before, Files.readAllBytes(target));
            assertEquals(List.of(target), files());
        }
    }
}
