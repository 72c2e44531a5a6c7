package org.cinelab.runner;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * How to execute a spec: trials trained at once, whether to continue an interrupted execution,
 * where datasets and resumable state live, where progress is printed, the tracking URI as the
 * user gave it (null for the default; the resume hint repeats it), where trials run, and whether
 * a finished execution keeps its checkpoints ({@code --keep-checkpoints}).
 */
public record RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out, String trackingUri,
                         TrialExecutor.Factory executor, boolean keepCheckpoints) {
    public RunOptions {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
        if (executor == null) executor = TrialExecutor.LOCAL;
    }

    public RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out, String trackingUri) {
        this(parallel, resume, dataDir, stateDir, out, trackingUri, TrialExecutor.LOCAL, false);
    }

    public RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out) {
        this(parallel, resume, dataDir, stateDir, out, null, TrialExecutor.LOCAL, false);
    }

    public RunOptions withResume(boolean r) {
        return new RunOptions(parallel, r, dataDir, stateDir, out, trackingUri, executor, keepCheckpoints);
    }

    /** The same options with trials run by {@code factory}'s executor (a cluster). */
    public RunOptions withExecutor(TrialExecutor.Factory factory) {
        return new RunOptions(parallel, resume, dataDir, stateDir, out, trackingUri, factory, keepCheckpoints);
    }

    public RunOptions withKeepCheckpoints(boolean keep) {
        return new RunOptions(parallel, resume, dataDir, stateDir, out, trackingUri, executor, keep);
    }
}
