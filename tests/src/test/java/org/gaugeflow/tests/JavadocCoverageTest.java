package org.gaugeflow.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the library and of the other modules' main sources carries a Javadoc comment (the API a
 * pipeline embeds is documented where it is declared). A declaration counts as documented when only annotations
 * stand between it and the comment closing before it.
 */
class JavadocCoverageTest {
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "\\s*public\\s+(static\\s+|final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*(class|interface|record|enum|@interface)\\s+\\w+.*");

    @Test
    void everyPublicTypeHasJavadoc() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> missing = new ArrayList<>();
        int types = 0;
        for (String module : new String[] {"bindings", "plugin", "grid", "cli", "benchmarks", "examples/java"}) {
            Path src = root.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(src), src + " missing");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    StringBuilder before = new StringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        if (PUBLIC_TYPE.matcher(lines.get(i)).matches()) {
                            types++;
                            String b = before.toString();
                            int comment = b.lastIndexOf("*/");
                            // what stands between the last comment and the declaration, string literals removed
                            String between = comment < 0 ? "x" : b.substring(comment + 2).replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\"").strip();
                            boolean onlyAnnotations = between.isEmpty() || (between.startsWith("@") && !between.contains(";"));
                            if (!onlyAnnotations) {
                                missing.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                            }
                        }
                        before.append(lines.get(i)).append('\n');
                    }
                }
            }
        }
        assertTrue(types > 100, "found only " + types + " public types: is the scan looking in the right place?");
        assertTrue(missing.isEmpty(), "public types without Javadoc:\n" + String.join("\n", missing));
    }
}
