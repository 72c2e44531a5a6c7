package org.cinelab.data.netflix;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared/data} (or {@code $CINELAB_SHARED/data}) and skips a test when it is absent. */
public final class SharedData {
    private SharedData() {}

    public static Path dir(String dataset) {
        Path data = locate();
        Assumptions.assumeTrue(data != null && Files.isDirectory(data.resolve(dataset)),
                "../shared/data/" + dataset + " not present: skipping");
        return data.resolve(dataset);
    }

    private static Path locate() {
        String env = System.getenv("CINELAB_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "data"))) return Path.of(env, "data");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (p.getParent() != null && Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }
}
