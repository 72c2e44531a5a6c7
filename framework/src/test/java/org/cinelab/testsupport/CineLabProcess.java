package org.cinelab.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cinelab ARGS} in a fresh JVM on the test class path, as a user runs it, with MLflow's and
 * CineLab's own environment variables removed: a shell that exports {@code CINELAB_DATA} (as the
 * README suggests) or {@code MLFLOW_TRACKING_URI} must not change what a test's child process reads.
 */
public final class CineLabProcess {
    private CineLabProcess() {}

    /** A process builder for {@code cinelab args} with heap {@code xmx} (e.g. "1g") working in {@code dir}. */
    public static ProcessBuilder builder(Path dir, String xmx, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), "org.cinelab.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("CINELAB_"));
        return pb;
    }

    /** Starts {@code cinelab args} in {@code dir}, its output (stdout and stderr) into the file {@code log}. */
    public static Process start(Path dir, String xmx, Path log, List<String> args) throws java.io.IOException {
        return builder(dir, xmx, args).redirectOutput(log.toFile()).start();
    }
}
