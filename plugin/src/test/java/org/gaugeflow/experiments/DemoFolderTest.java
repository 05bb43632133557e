package org.gaugeflow.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gaugeflow.io.RunFolder;
import org.gaugeflow.lattice.Lattice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's output folder: an earlier demo's output is replaced, anything else is refused and left alone. */
class DemoFolderTest {
    @TempDir Path tmp;

    @Test
    void anEarlierDemoIsReplacedAndOtherFilesAreRefused() throws Exception {
        Path out = tmp.resolve("demo-out");
        Lattice l = Lattice.parse("8x8");
        try (RunFolder f = Demo.openOutput(out, l, 2.0, 10, 200, 1)) {
            f.markStarted();
            Files.createDirectories(out.resolve(Demo.MODEL));
            Files.writeString(out.resolve(Demo.MODEL).resolve("config.yaml"), "x");
        }
        try (RunFolder f = Demo.openOutput(out, l, 2.0, 20, 200, 1)) {
            f.markStarted();
            assertTrue(f.fresh());
            assertFalse(Files.exists(out.resolve(Demo.MODEL)), "the earlier demo's model is gone");
        }
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Demo.openOutput(other, l, 2.0, 10, 200, 1));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("earlier demo"), e.getMessage());
        assertEquals("mine", Files.readString(other.resolve("notes.txt")));
    }
}
