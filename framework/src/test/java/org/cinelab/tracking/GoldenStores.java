package org.cinelab.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cinelab.testing.SharedData;

/**
 * The MLflow-written stores in {@code ../shared/data/mlflow-golden} (or {@code $CINELAB_SHARED/data}).
 * Tests copy a tree before opening it, because opening a store may create {@code .trash/}.
 */
final class GoldenStores {
    private GoldenStores() {}

    static Path requireGoldenDir() {
        Path dir = find();
        SharedData.assumePresent(dir != null, "../shared/data/mlflow-golden not present: skipping");
        return dir;
    }

    private static Path find() {
        String env = System.getenv("CINELAB_SHARED");
        if (env != null && Files.isDirectory(Path.of(env, "data", "mlflow-golden"))) {
            return Path.of(env, "data", "mlflow-golden").toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data").resolve("mlflow-golden");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    static Path copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
        return target;
    }
}
