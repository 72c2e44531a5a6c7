package org.cinelab.cli;

import org.cinelab.testsupport.CineLabProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code cinelab ARGS} in a fresh JVM, as a user runs it: what only a whole process shows (the
 * logging set up in {@link Main#main}, the environment, files left in the working directory).
 */
final class CliProcess {
    record Result(int exit, String output) {}

    private CliProcess() {}

    /**
     * Runs in {@code dir} with the given environment changes (a null value removes the variable);
     * MLflow's and CineLab's own variables are removed first so that the test's environment does not leak in.
     */
    static Result run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cinelab-cli", ".log");
        try {
            ProcessBuilder pb = CineLabProcess.builder(dir, "1g", List.of(args)).redirectOutput(log.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            env.forEach((k, v) -> {
                if (v == null) pb.environment().remove(k);
                else pb.environment().put(k, v);
            });
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) { // a hang guard, not a speed check
                p.destroyForcibly();
                throw new AssertionError("cinelab " + String.join(" ", args) + " did not end:\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
