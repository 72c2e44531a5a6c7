package org.cinelab.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --data-dir}: where datasets live, each under its upstream folder name. */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Dataset folder (default: CINELAB_DATA, then datasets/cache).")
    Path dir;

    Path resolve() {
        if (dir != null) return dir;
        String env = System.getenv("CINELAB_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("datasets", "cache");
    }
}
