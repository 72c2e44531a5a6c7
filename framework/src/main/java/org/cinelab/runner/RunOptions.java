package org.cinelab.runner;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * How to execute a spec: trials trained at once, whether to continue an interrupted execution,
 * where datasets and resumable state live, and where progress is printed.
 */
public record RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out) {
    public RunOptions {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
    }
}
