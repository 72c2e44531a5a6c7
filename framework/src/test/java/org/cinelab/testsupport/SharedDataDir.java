package org.cinelab.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only reference data ({@code ../shared/data}) for tests that need real files. */
public final class SharedDataDir {
    public static final String SKIP = "../shared/data not present (set CINELAB_SHARED to the shared folder): skipping";

    private SharedDataDir() {}

    /** env CINELAB_SHARED + /data, else {@code shared/data} beside the working directory or one of its ancestors; null when absent. */
    public static Path find() {
        String env = System.getenv("CINELAB_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "data"))) return Path.of(env, "data");
        for (Path p = Path.of("").toAbsolutePath(); p != null && p.getParent() != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }
}
