package org.cinelab.runner;

import org.cinelab.io.StateStorage;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * How to execute a spec: trials trained at once, whether to continue an interrupted execution,
 * where datasets and resumable state live, where progress is printed, the tracking URI as the
 * user gave it (null for the default; the resume hint repeats it), where trials run, whether
 * a finished execution keeps its checkpoints ({@code --keep-checkpoints}), and where the durable
 * state lives when it is not {@code stateDir} itself.
 *
 * @param stateStorage the durable state's storage when it is remote (hdfs://, s3a://, for a
 *                     cluster); {@code stateDir} then holds only the execution lock and local
 *                     scratch files. Null: everything in {@code stateDir}.
 */
public record RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out, String trackingUri,
                         TrialExecutor.Factory executor, boolean keepCheckpoints, StateStorage stateStorage) {
    public RunOptions {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
        if (executor == null) executor = TrialExecutor.LOCAL;
    }

    public RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out, String trackingUri) {
        this(parallel, resume, dataDir, stateDir, out, trackingUri, TrialExecutor.LOCAL, false, null);
    }

    public RunOptions(int parallel, boolean resume, Path dataDir, Path stateDir, PrintWriter out) {
        this(parallel, resume, dataDir, stateDir, out, null, TrialExecutor.LOCAL, false, null);
    }

    public RunOptions withResume(boolean r) {
        return new RunOptions(parallel, r, dataDir, stateDir, out, trackingUri, executor, keepCheckpoints, stateStorage);
    }

    /** The same options with trials run by {@code factory}'s executor (a cluster). */
    public RunOptions withExecutor(TrialExecutor.Factory factory) {
        return new RunOptions(parallel, resume, dataDir, stateDir, out, trackingUri, factory, keepCheckpoints, stateStorage);
    }

    public RunOptions withKeepCheckpoints(boolean keep) {
        return new RunOptions(parallel, resume, dataDir, stateDir, out, trackingUri, executor, keep, stateStorage);
    }

    /** The same options with the durable state on {@code storage}; {@code stateDir} keeps the lock and scratch files. */
    public RunOptions withStateStorage(StateStorage storage) {
        return new RunOptions(parallel, resume, dataDir, stateDir, out, trackingUri, executor, keepCheckpoints, storage);
    }

    /** Where the durable state is, as {@code --state-dir} takes it. */
    public String stateLocation() { return stateStorage != null ? stateStorage.describe() : stateDir.toString(); }
}
