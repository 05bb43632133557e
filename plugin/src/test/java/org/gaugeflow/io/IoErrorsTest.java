package org.gaugeflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** I/O failures as one line with the file and the reason (Java's messages are often the path alone). */
class IoErrorsTest {
    @Test
    void fileAndReason() {
        assertEquals("/x/conf.lime: permission denied", IoErrors.describe(new AccessDeniedException("/x/conf.lime")));
        assertEquals("/x/a: no such file or folder", IoErrors.describe(new NoSuchFileException("/x/a")));
        assertEquals("/x/out: Not a directory", IoErrors.describe(new FileSystemException("/x/out", null, "Not a directory")));
        assertEquals("/x/a -> /y/b: Read-only file system",
                IoErrors.describe(new FileSystemException("/x/a", "/y/b", "Read-only file system")));
        assertEquals("disk full", IoErrors.describe(new IOException("disk full")));
        assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/x")));
    }
}
