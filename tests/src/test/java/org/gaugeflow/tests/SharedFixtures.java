package org.gaugeflow.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the team's {@code shared/} folder: the system property {@code gaugeflow.shared} (set by the
 * parent pom for surefire) when it names an existing folder, else the first {@code shared/} with a
 * {@code fixtures} folder in the working directory or one of its parents (the repo root's sibling in
 * CI, higher up in a git worktree).
 */
final class SharedFixtures {

    private SharedFixtures() {
    }

    static Path shared() {
        String prop = System.getProperty("gaugeflow.shared");
        if (prop != null && Files.isDirectory(Paths.get(prop, "fixtures"))) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("fixtures"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/fixtures not found: set -Dgaugeflow.shared=PATH (property was "
                + prop + ", working directory " + Paths.get("").toAbsolutePath() + ")");
    }

    static Path ildg(String name) {
        return shared().resolve("fixtures").resolve("ildg").resolve(name);
    }
}
