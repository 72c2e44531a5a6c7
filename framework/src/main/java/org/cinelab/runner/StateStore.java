package org.cinelab.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cinelab.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resumable state of one experiment execution on local disk: {@code experiment.json} (which
 * parent run, which spec, the options it ran with) and per trial {@code trials/<id>/state.json}
 * plus {@code checkpoint-<epoch>.bin}: the epoch is in the name, so a crash between writing a
 * checkpoint and the state that points to it leaves the previous pair intact. Every file is
 * replaced atomically, so a SIGKILL leaves either the old or the new version. See docs/resume.md.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Identity of an execution: continued by {@code --resume} only with the same spec bytes (and
     * overrides) and seed. The options it ran with are kept so that {@code --resume} alone continues
     * it where it ran.
     */
    public static final class ExperimentState {
        /** Written by this version of the state layout; older states cannot be resumed. */
        public static final int LAYOUT = 2;

        public int layout;
        public String specFile;
        public String specSha256;
        public java.util.List<String> overrides = new java.util.ArrayList<>();
        public long seed;
        public String experimentId;
        public String parentRunId;
        public String trackingUri;
        public String dataDir;
        public int parallel;
        public boolean finished;
    }

    private final Path dir;

    public StateStore(Path dir) { this.dir = dir; }

    public Path dir() { return dir; }

    public ExperimentState readExperiment() throws IOException {
        Path f = dir.resolve("experiment.json");
        return Files.exists(f) ? JSON.readValue(f.toFile(), ExperimentState.class) : null;
    }

    public void writeExperiment(ExperimentState s) throws IOException {
        AtomicFiles.write(dir.resolve("experiment.json"), out -> JSON.writeValue(out, s));
    }

    public TrialState readTrial(String trialId) throws IOException {
        Path f = trialDir(trialId).resolve("state.json");
        if (!Files.exists(f)) {
            TrialState s = new TrialState();
            s.trialId = trialId;
            return s;
        }
        return JSON.readValue(f.toFile(), TrialState.class);
    }

    public void writeTrial(TrialState s) throws IOException {
        AtomicFiles.write(trialDir(s.trialId).resolve("state.json"), out -> JSON.writeValue(out, s));
    }

    /** Every trial's state, in creation order. */
    public java.util.List<TrialState> readTrials() throws IOException {
        Path trials = dir.resolve("trials");
        java.util.List<TrialState> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(trials)) return out;
        try (var dirs = Files.list(trials)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                if (Files.exists(d.resolve("state.json"))) out.add(readTrial(d.getFileName().toString()));
            }
        }
        out.sort(java.util.Comparator.comparingInt((TrialState t) -> t.index).thenComparing(t -> t.trialId));
        return out;
    }

    public Path checkpoint(String trialId, int epoch) { return trialDir(trialId).resolve("checkpoint-" + epoch + ".bin"); }

    /**
     * Deletes a trial's checkpoints other than those of {@code keepEpochs} (the latest, to continue
     * training, and with early stopping the best, to restore).
     */
    public void pruneCheckpoints(String trialId, int... keepEpochs) throws IOException {
        java.util.Set<Path> keep = new java.util.HashSet<>();
        for (int e : keepEpochs) keep.add(checkpoint(trialId, e));
        try (var files = Files.list(trialDir(trialId))) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("checkpoint-") && n.endsWith(".bin") && !keep.contains(f)) Files.deleteIfExists(f);
            }
        }
    }

    public Path trialDir(String trialId) { return dir.resolve("trials").resolve(trialId); }

    /** Removes every trace of a previous execution, for a fresh start; the execution lock stays. */
    public void clear() throws IOException {
        if (!Files.exists(dir)) return;
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().equals(ExecutionLock.FILE)) continue;
                if (Files.isDirectory(p)) deleteTree(p);
                else Files.delete(p);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
