package org.cinelab.data.catalog;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the dataset cache is: {@code --data-dir} if given, else env {@value #ENV}, else
 * {@value #DEFAULT} relative to the working directory. Each dataset sits in its upstream folder
 * name ({@code ml-100k/}, ...), so a folder laid out like the shared reference data is a valid cache.
 */
public final class DataDirs {
    public static final String ENV = "CINELAB_DATA";
    public static final String DEFAULT = "datasets/cache";

    private DataDirs() {}

    public static Path resolve(Path cliOverrideOrNull) {
        return resolve(cliOverrideOrNull, System.getenv());
    }

    static Path resolve(Path cliOverrideOrNull, Map<String, String> env) {
        if (cliOverrideOrNull != null) return cliOverrideOrNull.toAbsolutePath().normalize();
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv).toAbsolutePath().normalize();
        return Path.of(DEFAULT).toAbsolutePath().normalize();
    }
}
