package org.cinelab.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the workplace's read-only reference data ({@code ../shared/data} beside the repository,
 * or {@code CINELAB_SHARED}). A user's clone has none: tests that need it skip with a message,
 * and generated-data tests cover the same code paths.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared data folder, or null when absent. */
    public static Path find() {
        String env = System.getenv("CINELAB_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "data"))) return Path.of(env, "data").toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("ml-100k"))) return candidate;
        }
        return null;
    }

    /** The shared data folder; skips the calling test when it is absent. */
    public static Path require() {
        Path p = find();
        Assumptions.assumeTrue(p != null, "../shared/data not present (a user's clone has none): skipping");
        return p;
    }
}
