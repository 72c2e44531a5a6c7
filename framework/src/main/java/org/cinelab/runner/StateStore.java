package org.cinelab.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cinelab.io.AtomicFiles;
import org.cinelab.io.LocalStateStorage;
import org.cinelab.io.StateStorage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The resumable state of one experiment execution: {@code experiment.json} (which parent run, which
 * spec, the options it ran with) and per trial {@code trials/<id>/state.json} plus
 * {@code checkpoint-<epoch>.bin}: the epoch is in the name, so a crash between writing a checkpoint
 * and the state that points to it leaves the previous pair intact. Every file is replaced
 * atomically, so a SIGKILL leaves either the old or the new version. See docs/resume.md.
 *
 * <p>The durable files live in a {@link StateStorage} (a local folder, or shared or cluster
 * storage when trials run elsewhere); files made only to be logged as artifacts (history CSV,
 * charts, exported models) go to a local scratch folder. Locally both are the state directory.
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
        public List<String> overrides = new ArrayList<>();
        public long seed;
        public String experimentId;
        public String parentRunId;
        public String trackingUri;
        public String dataDir;
        public int parallel;
        /** The process's BLAS thread count ({@code --threads}); 0 in states written before it was kept. */
        public int blasThreads;
        /** The training data's checksum ({@code cinelab.dataset_sha256}); null in states written before it was kept. */
        public String dataSha256;
        public boolean finished;
    }

    private final StateStorage storage;
    private final Path scratch;

    /** State and scratch files in one local directory. */
    public StateStore(Path dir) {
        this(new LocalStateStorage(dir), dir);
    }

    /** @param scratch a local folder for files that are only logged, never read back on resume */
    public StateStore(StateStorage storage, Path scratch) {
        this.storage = storage;
        this.scratch = scratch.toAbsolutePath().normalize();
    }

    /** The local folder for files made to be logged (and the state directory itself when it is local). */
    public Path dir() { return scratch; }

    /** Where the durable state is, for messages. */
    public String describe() { return storage.describe(); }

    public StateStorage storage() { return storage; }

    public ExperimentState readExperiment() throws IOException {
        Optional<byte[]> b = storage.read("experiment.json");
        return b.isPresent() ? JSON.readValue(b.get(), ExperimentState.class) : null;
    }

    public void writeExperiment(ExperimentState s) throws IOException {
        storage.write("experiment.json", out -> JSON.writeValue(out, s));
    }

    public TrialState readTrial(String trialId) throws IOException {
        Optional<byte[]> b = storage.read(key(trialId, "state.json"));
        if (b.isEmpty()) {
            TrialState s = new TrialState();
            s.trialId = trialId;
            return s;
        }
        return JSON.readValue(b.get(), TrialState.class);
    }

    public void writeTrial(TrialState s) throws IOException {
        storage.write(key(s.trialId, "state.json"), out -> JSON.writeValue(out, s));
    }

    /** Every trial's state, in creation order. */
    public List<TrialState> readTrials() throws IOException {
        List<TrialState> out = new ArrayList<>();
        for (String id : storage.list("trials")) {
            if (storage.read(key(id, "state.json")).isPresent()) out.add(readTrial(id));
        }
        out.sort(Comparator.comparingInt((TrialState t) -> t.index).thenComparing(t -> t.trialId));
        return out;
    }

    /** The weights and optimiser state after {@code epoch}, or empty when that checkpoint is gone. */
    public Optional<InputStream> readCheckpoint(String trialId, int epoch) throws IOException {
        return storage.read(checkpointKey(trialId, epoch)).map(ByteArrayInputStream::new);
    }

    public void writeCheckpoint(String trialId, int epoch, AtomicFiles.StreamWriter writer) throws IOException {
        storage.write(checkpointKey(trialId, epoch), writer);
    }

    private static String checkpointKey(String trialId, int epoch) { return key(trialId, "checkpoint-" + epoch + ".bin"); }

    private static String key(String trialId, String file) { return "trials/" + trialId + "/" + file; }

    /**
     * Deletes a trial's checkpoints other than those of {@code keepEpochs} (the latest, to continue
     * training, and with early stopping the best, to restore); none at all when none is given.
     */
    public void pruneCheckpoints(String trialId, int... keepEpochs) throws IOException {
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (int e : keepEpochs) keep.add("checkpoint-" + e + ".bin");
        for (String n : storage.list("trials/" + trialId)) {
            if (n.startsWith("checkpoint-") && n.endsWith(".bin") && !keep.contains(n)) storage.delete(key(trialId, n));
        }
    }

    /**
     * What a finished execution no longer needs: every checkpoint and exported model copy (both are
     * logged to MLflow already). The states stay, so {@code --resume} still prints the summary.
     *
     * @return bytes freed
     */
    public long pruneFinished() throws IOException {
        long freed = 0;
        for (String id : storage.list("trials")) {
            for (String n : storage.list("trials/" + id)) {
                if (n.startsWith("checkpoint-") && n.endsWith(".bin")) {
                    freed += storage.read(key(id, n)).map(b -> (long) b.length).orElse(0L);
                    storage.delete(key(id, n));
                }
            }
            Path model = trialDir(id).resolve("model");
            if (Files.isDirectory(model)) {
                try (var walk = Files.walk(model)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) freed += Files.size(f);
                }
                deleteTree(model);
            }
        }
        return freed;
    }

    /** A trial's local folder for files it logs as artifacts (history CSV, loss curve, exported model). */
    public Path trialDir(String trialId) { return scratch.resolve("trials").resolve(trialId); }

    /** Removes every trace of a previous execution, for a fresh start; the execution lock stays. */
    public void clear() throws IOException {
        for (String name : storage.list("")) {
            if (!name.equals(ExecutionLock.FILE)) storage.delete(name);
        }
        if (!Files.exists(scratch)) return;
        try (var entries = Files.list(scratch)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().equals(ExecutionLock.FILE)) continue;
                if (Files.isDirectory(p)) deleteTree(p);
                else Files.deleteIfExists(p);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
