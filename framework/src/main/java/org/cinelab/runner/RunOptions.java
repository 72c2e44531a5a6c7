package org.cinelab.runner;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * How to execute a spec: trials trained at once, whether to continue an interrupted execution,
 * where datasets and resumable state live, where progress is printed, and the tracking URI as the
 * user gave it (null for the default), which the resume hint repeats.
 */
public record RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out, String trackingUri) {
    public RunOptions {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
    }

    public RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out) {
        this(parallel, resume, dataDir, stateDir, out, null);
    }

    public RunOptions withResume(boolean r) { return new RunOptions(parallel, r, dataDir, stateDir, out, trackingUri); }
}
