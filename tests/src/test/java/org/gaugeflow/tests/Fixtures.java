package org.gaugeflow.tests;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Test fixtures shipped with this module under {@code src/test/resources/fixtures} (on the test
 * classpath as {@code /fixtures/...}); their origins, licences and expected values are in
 * {@code src/test/resources/fixtures/ildg/README.md} and docs/reference-values.md. Nothing outside the
 * repository is read.
 */
final class Fixtures {

    private Fixtures() {
    }

    /** The ILDG fixture {@code name} as a file on disk (the readers take a {@link Path}). */
    static Path ildg(String name) {
        String resource = "/fixtures/ildg/" + name;
        URL url = Fixtures.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource " + resource + " not on the classpath"
                    + " (expected in tests/src/test/resources" + resource + ")");
        }
        if (!"file".equals(url.getProtocol())) {
            throw new IllegalStateException("test resource " + resource + " is not a plain file: " + url);
        }
        try {
            Path p = Paths.get(url.toURI());
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("test resource " + resource + " is not a regular file: " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + resource + ": bad URL " + url, e);
        }
    }
}
