package org.cinelab.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Locates the workplace's read-only reference data: {@code $CINELAB_SHARED/data}, else
 * {@code shared/data} beside the working directory or one of its ancestors. A user's clone has
 * none: tests that need it skip with {@link #SKIP}, and generated-data tests cover the same paths.
 * Under {@code CI=true} they fail instead: CI must not pass because its data is missing.
 */
public final class SharedData {
    public static final String SKIP = "../shared/data not present (a user's clone has none; set CINELAB_SHARED to the shared folder): skipping";
    static final String CI_ENV = "CI";

    private SharedData() {}

    /** The shared data folder, or null when absent. */
    public static Path find() {
        String env = System.getenv("CINELAB_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "data"))) return Path.of(env, "data").toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null && p.getParent() != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    /** The shared data folder; skips the calling test when it is absent (fails it under CI). */
    public static Path require() {
        Path p = find();
        assumePresent(p != null, SKIP);
        return p;
    }

    /** One dataset's folder in the shared data, e.g. {@code netflix-titles}; skips the test when absent (fails it under CI). */
    public static Path dir(String dataset) {
        Path data = find();
        assumePresent(data != null && Files.isDirectory(data.resolve(dataset)), "../shared/data/" + dataset + " not present: skipping");
        return data.resolve(dataset);
    }

    /**
     * Skips the calling test when reference material it needs is absent; under {@code CI=true}
     * fails it, saying what is missing. Every test that needs ../shared (or the repository's docs)
     * goes through here.
     */
    public static void assumePresent(boolean present, String skipMessage) {
        assumePresent(present, skipMessage, System.getenv());
    }

    static void assumePresent(boolean present, String skipMessage, Map<String, String> env) {
        if (present) return;
        if ("true".equalsIgnoreCase(env.getOrDefault(CI_ENV, "").trim())) {
            Assertions.fail(skipMessage.replaceFirst(":? ?skipping$", "")
                    + ", and CI=true: in CI every test runs, so the data must be there (see .ci/run)");
        }
        Assumptions.assumeTrue(false, skipMessage);
    }
}
