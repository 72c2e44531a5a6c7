package org.cinelab.tracking;

import org.cinelab.io.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's local file store ({@code ./mlruns}), written byte-compatible with MLflow 2.17 and read
 * like MLflow 2.17 and 3.x read it, so {@code mlflow ui --backend-store-uri <root>} shows CineLab's
 * runs. Layout and rules: {@code shared/docs/mlflow-file-store.md}.
 *
 * <p>Safe for concurrent use by threads and by several processes on one store: experiment creation
 * and meta.yaml rewrites hold {@code <root>/.cinelab.lock}, metric lines are appended with one write
 * per batch and key, whole files are written to a temp file and renamed into place. Writes are not
 * refused for runs that MLflow marked deleted.
 */
public final class MlflowFileStore implements Tracker {
    public static final String DEFAULT_EXPERIMENT_ID = "0";
    public static final String DEFAULT_EXPERIMENT_NAME = "Default";
    public static final String RUN_NAME_TAG = "mlflow.runName";
    public static final String USER_TAG = "mlflow.user";

    static final String TRASH = ".trash";
    private static final String MODELS = "models";
    private static final Set<String> NOT_RUNS = Set.of("tags", "datasets", "traces", "models");
    private static final int EXPERIMENT_ID_DIGITS = 18;
    private static final int SOURCE_TYPE_LOCAL = 4;
    private static final Object[] FILE_STRIPES = newStripes(256);
    private static final Logger LOG = LoggerFactory.getLogger(MlflowFileStore.class);

    /** Space held back (a file of zeros beside the experiments) to end runs after the disk fills up. */
    static final String RESERVE = ".cinelab-reserve";
    private static final int RESERVE_BYTES = 256 * 1024;

    private final Path root;
    private final ConcurrentMap<String, Path> runDirs = new ConcurrentHashMap<>();
    private volatile boolean reserved;

    /** Opens (creating if needed) the store at {@code root}, with its Default experiment and {@code .trash/}. */
    public MlflowFileStore(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IOException("MLflow file store root " + absolute + " is a file, expected a directory");
        }
        Files.createDirectories(absolute.resolve(TRASH));
        this.root = absolute.toRealPath();
        if (!Files.exists(this.root.resolve(DEFAULT_EXPERIMENT_ID).resolve(MetaYaml.FILE_NAME))) {
            try (StoreLock lock = StoreLock.acquire(this.root)) {
                Path defaultDir = this.root.resolve(DEFAULT_EXPERIMENT_ID);
                if (!Files.exists(defaultDir.resolve(MetaYaml.FILE_NAME))) {
                    Files.createDirectories(defaultDir);
                    writeExperimentMeta(defaultDir, DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME,
                            System.currentTimeMillis());
                }
            }
        }
    }

    public Path root() {
        return root;
    }

    /** Sets space aside once a run is created; best effort (a full or read-only disk has none to give). */
    private void reserve() {
        if (reserved) return;
        reserved = true;
        Path f = root.resolve(RESERVE);
        try {
            if (!Files.exists(f) || Files.size(f) < RESERVE_BYTES) Files.write(f, new byte[RESERVE_BYTES]);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // nothing set aside
            }
        }
    }

    @Override
    public void releaseReserve() {
        try {
            Files.deleteIfExists(root.resolve(RESERVE));
        } catch (IOException ignored) {
            // nothing to free
        }
    }

    @Override
    public String location() { return "MLflow file store " + root; }

    @Override
    public String describe() {
        return "MLflow file store " + root + " (browse with: MLFLOW_ALLOW_FILE_STORE=true mlflow ui "
                + "--backend-store-uri " + FileUris.of(root) + ")";
    }

    // ---------------------------------------------------------------- experiments

    @Override
    public String getOrCreateExperiment(String name, Map<String, String> tags) throws IOException {
        MlflowNames.validateExperimentName(name);
        Map<String, String> checkedTags = checkExperimentTags(tags);
        Optional<ExperimentInfo> found = findExperimentByName(name);
        if (found.isPresent() && found.get().isActive()) return found.get().experimentId();
        try (StoreLock lock = StoreLock.acquire(root)) {
            found = findExperimentByName(name);
            if (found.isPresent()) {
                ExperimentInfo existing = found.get();
                if (existing.isActive()) return existing.experimentId();
                throw new IllegalStateException("experiment '" + name + "' (id " + existing.experimentId()
                        + ") exists but is deleted" + (isInTrash(existing.experimentId())
                        ? " (in " + root.resolve(TRASH).resolve(existing.experimentId()) + ")" : "")
                        + "; MLflow keeps the names of deleted experiments: restore it with `mlflow experiments "
                        + "restore --experiment-id " + existing.experimentId() + "`, remove it for good with "
                        + "`mlflow gc`, or choose another experiment name");
            }
            return createExperiment(name, checkedTags);
        }
    }

    private String createExperiment(String name, Map<String, String> tags) throws IOException {
        while (true) {
            String id = newExperimentId();
            if (Files.exists(root.resolve(TRASH).resolve(id))) continue;
            Path dir = root.resolve(id);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                writeKeyFile(dir.resolve("tags"), tag.getKey(), tag.getValue(), dir);
            }
            writeExperimentMeta(dir, id, name, System.currentTimeMillis());
            return id;
        }
    }

    private Map<String, String> checkExperimentTags(Map<String, String> tags) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            MlflowNames.validateKey("experiment tag key", tag.getKey());
            String value = tag.getValue();
            if (value == null) throw new IllegalArgumentException("experiment tag '" + tag.getKey() + "' has no value");
            int length = value.codePointCount(0, value.length());
            if (length > MlflowNames.MAX_EXPERIMENT_TAG_VALUE_LENGTH) {
                throw new IllegalArgumentException("experiment tag '" + tag.getKey() + "' has " + length
                        + " characters, MLflow allows at most " + MlflowNames.MAX_EXPERIMENT_TAG_VALUE_LENGTH);
            }
            checked.put(tag.getKey(), value);
        }
        return checked;
    }

    /** MLflow's file-store experiment id: 18 random decimal digits, never starting with 0. */
    static String newExperimentId() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String digits = new BigInteger(1, uuidBytes()).toString();
        digits = digits.substring(Math.max(0, digits.length() - EXPERIMENT_ID_DIGITS));
        StringBuilder id = new StringBuilder(digits);
        for (int i = 0; i < digits.length() && digits.charAt(i) == '0'; i++) id.append(rnd.nextInt(10));
        String trimmed = id.toString().replaceFirst("^0+", "");
        return trimmed.isEmpty() ? newExperimentId() : trimmed;
    }

    private static byte[] uuidBytes() {
        UUID uuid = UUID.randomUUID();
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    private void writeExperimentMeta(Path dir, String id, String name, long timeMs) throws IOException {
        SortedMap<String, Object> meta = new TreeMap<>();
        meta.put("artifact_location", FileUris.of(dir));
        meta.put("creation_time", timeMs);
        meta.put("experiment_id", id);
        meta.put("last_update_time", timeMs);
        meta.put("lifecycle_stage", ExperimentInfo.ACTIVE);
        meta.put("name", name);
        AtomicFiles.replace(dir.resolve(MetaYaml.FILE_NAME), utf8(MetaYaml.render(meta)), dir);
    }

    /**
     * The experiment with this name, active or deleted (like MLflow's {@code get_experiment_by_name},
     * which also sees experiments moved to {@code .trash}).
     */
    @Override
    public Optional<ExperimentInfo> findExperimentByName(String name) throws IOException {
        for (ExperimentInfo info : scanExperiments(true)) {
            if (info.name().equals(name)) return Optional.of(withTags(info));
        }
        return Optional.empty();
    }

    /** Active experiments, Default included, in no particular order. */
    @Override
    public List<ExperimentInfo> listExperiments() throws IOException {
        List<ExperimentInfo> active = new ArrayList<>();
        for (ExperimentInfo info : scanExperiments(false)) {
            if (info.isActive()) active.add(withTags(info));
        }
        return active;
    }

    /** The experiment with this id, active or deleted. */
    public Optional<ExperimentInfo> getExperiment(String experimentId) throws IOException {
        MlflowNames.validateExperimentId(experimentId);
        Optional<ExperimentInfo> info = readExperiment(root.resolve(experimentId), false);
        if (info.isEmpty()) info = readExperiment(root.resolve(TRASH).resolve(experimentId), true);
        return info.isPresent() ? Optional.of(withTags(info.get())) : Optional.empty();
    }

    private List<ExperimentInfo> scanExperiments(boolean includeTrash) throws IOException {
        List<ExperimentInfo> found = new ArrayList<>();
        for (Path dir : subdirectories(root)) {
            String dirName = dir.getFileName().toString();
            if (dirName.equals(TRASH) || dirName.equals(MODELS)) continue;
            readExperiment(dir, false).ifPresent(found::add);
        }
        if (includeTrash) {
            for (Path dir : subdirectories(root.resolve(TRASH))) readExperiment(dir, true).ifPresent(found::add);
        }
        return found;
    }

    /** Empty (with a log line) for directories MLflow would skip as malformed. */
    private Optional<ExperimentInfo> readExperiment(Path dir, boolean inTrash) throws IOException {
        Path metaFile = dir.resolve(MetaYaml.FILE_NAME);
        Optional<JsonNode> parsed;
        try {
            parsed = MetaYaml.read(metaFile);
        } catch (IOException e) {
            LOG.warn("Malformed experiment {} skipped: {}", dir, e.getMessage());
            return Optional.empty();
        }
        if (parsed.isEmpty()) {
            if (Files.isDirectory(dir)) LOG.warn("Malformed experiment {} skipped: no meta.yaml", dir);
            return Optional.empty();
        }
        JsonNode meta = parsed.get();
        String id = MetaYaml.text(meta, "experiment_id");
        String dirName = dir.getFileName().toString();
        if (!dirName.equals(id)) {
            LOG.warn("Experiment {} skipped: its meta.yaml names experiment_id '{}', not the directory name", dir, id);
            return Optional.empty();
        }
        String stage = inTrash ? ExperimentInfo.DELETED
                : Optional.ofNullable(MetaYaml.text(meta, "lifecycle_stage")).orElse(ExperimentInfo.ACTIVE);
        String name = Optional.ofNullable(MetaYaml.text(meta, "name")).orElse("");
        return Optional.of(new ExperimentInfo(id, name, MetaYaml.text(meta, "artifact_location"), stage,
                MetaYaml.integer(metaFile, meta, "creation_time"), MetaYaml.integer(metaFile, meta, "last_update_time"),
                Map.of()));
    }

    private ExperimentInfo withTags(ExperimentInfo info) throws IOException {
        Path dir = Files.isDirectory(root.resolve(info.experimentId())) ? root.resolve(info.experimentId())
                : root.resolve(TRASH).resolve(info.experimentId());
        return new ExperimentInfo(info.experimentId(), info.name(), info.artifactLocation(), info.lifecycleStage(),
                info.creationTimeMs(), info.lastUpdateTimeMs(), readKeyFiles(dir.resolve("tags")));
    }

    private boolean isInTrash(String experimentId) {
        return Files.isDirectory(root.resolve(TRASH).resolve(experimentId));
    }

    private ExperimentInfo requireActiveExperiment(String experimentId) throws IOException {
        MlflowNames.validateExperimentId(experimentId);
        Optional<ExperimentInfo> info = readExperiment(root.resolve(experimentId), false);
        if (info.isEmpty()) {
            throw new IllegalArgumentException("no experiment with id '" + experimentId + "' in " + describe());
        }
        if (!info.get().isActive()) {
            throw new IllegalArgumentException("experiment '" + info.get().name() + "' (id " + experimentId
                    + ") is deleted; runs can only be created in active experiments");
        }
        return info.get();
    }

    // ---------------------------------------------------------------- runs

    @Override
    public String createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags)
            throws IOException {
        reserve();
        ExperimentInfo experiment = requireActiveExperiment(experimentId);
        String tagName = tags.get(RUN_NAME_TAG);
        boolean hasName = runName != null && !runName.isBlank();
        if (hasName && tagName != null && !tagName.equals(runName)) {
            throw new IllegalArgumentException("run name '" + runName + "' and tag " + RUN_NAME_TAG + "='" + tagName
                    + "' differ; give one of them, or the same value in both");
        }
        String name = hasName ? runName : tagName != null && !tagName.isBlank() ? tagName : RunNames.random();
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        allTags.put(RUN_NAME_TAG, name);
        Map<String, String> checkedTags = MlflowNames.checkedTags(allTags);
        name = checkedTags.get(RUN_NAME_TAG);
        String userId = tags.getOrDefault(USER_TAG, System.getProperty("user.name", ""));

        Path experimentDir = root.resolve(experimentId);
        String runId;
        Path runDir;
        do {
            runId = UUID.randomUUID().toString().replace("-", "");
            runDir = experimentDir.resolve(runId);
        } while (!createDirectoryIfAbsent(runDir));
        for (String sub : List.of("metrics", "params", "artifacts", "tags")) Files.createDirectory(runDir.resolve(sub));
        for (Map.Entry<String, String> tag : checkedTags.entrySet()) {
            writeKeyFile(runDir.resolve("tags"), tag.getKey(), tag.getValue(), runDir);
        }
        String artifactLocation = experiment.artifactLocation() != null ? experiment.artifactLocation()
                : FileUris.of(experimentDir);
        RunInfo info = new RunInfo(runId, experimentId, name, userId, RunStatus.RUNNING, startTimeMs, null,
                artifactLocation + "/" + runId + "/artifacts", ExperimentInfo.ACTIVE);
        writeRunMeta(runDir, info, null);
        runDirs.put(runId, runDir);
        return runId;
    }

    private static boolean createDirectoryIfAbsent(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException {
        Path runDir = requireRunDir(runId);
        try (StoreLock lock = StoreLock.acquire(root)) {
            RunMeta current = readRunMeta(runDir);
            RunInfo r = current.info();
            writeRunMeta(runDir, new RunInfo(r.runId(), r.experimentId(), r.runName(), r.userId(), status,
                    r.startTimeMs(), endTimeMs, r.artifactUri(), r.lifecycleStage()), current.deletedTimeMs());
        }
    }

    private void renameRun(Path runDir, String runName) throws IOException {
        try (StoreLock lock = StoreLock.acquire(root)) {
            RunMeta current = readRunMeta(runDir);
            RunInfo r = current.info();
            writeRunMeta(runDir, new RunInfo(r.runId(), r.experimentId(), runName, r.userId(), r.status(),
                    r.startTimeMs(), r.endTimeMs(), r.artifactUri(), r.lifecycleStage()), current.deletedTimeMs());
        }
    }

    /** Writes every key MLflow 2.17 writes, {@code run_uuid} included so that 2.x servers can read the run. */
    private static void writeRunMeta(Path runDir, RunInfo run, Long deletedTimeMs) throws IOException {
        SortedMap<String, Object> meta = new TreeMap<>();
        meta.put("artifact_uri", run.artifactUri());
        meta.put("end_time", run.endTimeMs());
        meta.put("entry_point_name", "");
        meta.put("experiment_id", run.experimentId());
        meta.put("lifecycle_stage", run.lifecycleStage());
        meta.put("run_id", run.runId());
        meta.put("run_name", run.runName());
        meta.put("run_uuid", run.runId());
        meta.put("source_name", "");
        meta.put("source_type", SOURCE_TYPE_LOCAL);
        meta.put("source_version", "");
        meta.put("start_time", run.startTimeMs());
        meta.put("status", run.status().code());
        meta.put("tags", List.of());
        meta.put("user_id", run.userId());
        if (deletedTimeMs != null) meta.put("deleted_time", deletedTimeMs);
        AtomicFiles.replace(runDir.resolve(MetaYaml.FILE_NAME), utf8(MetaYaml.render(meta)), runDir);
    }

    private record RunMeta(RunInfo info, Long deletedTimeMs) {}

    private RunMeta readRunMeta(Path runDir) throws IOException {
        Path metaFile = runDir.resolve(MetaYaml.FILE_NAME);
        JsonNode meta = MetaYaml.read(metaFile)
                .orElseThrow(() -> new IOException(metaFile + ": missing or empty run meta.yaml"));
        return new RunMeta(runInfo(runDir, metaFile, meta), MetaYaml.integer(metaFile, meta, "deleted_time"));
    }

    private RunInfo runInfo(Path runDir, Path metaFile, JsonNode meta) throws IOException {
        String runId = firstNonNull(MetaYaml.text(meta, "run_id"), MetaYaml.text(meta, "run_uuid"),
                runDir.getFileName().toString());
        String experimentId = MetaYaml.text(meta, "experiment_id");
        if (experimentId == null) throw new IOException(metaFile + ": required field 'experiment_id' is missing");
        Long startTime = MetaYaml.integer(metaFile, meta, "start_time");
        String runName = MetaYaml.text(meta, "run_name");
        if (runName == null) {
            Path nameTag = runDir.resolve("tags").resolve(RUN_NAME_TAG);
            runName = Files.isRegularFile(nameTag) ? Files.readString(nameTag, StandardCharsets.UTF_8) : "";
        }
        return new RunInfo(runId, experimentId, runName,
                Optional.ofNullable(MetaYaml.text(meta, "user_id")).orElse(""),
                status(metaFile, meta), startTime == null ? 0L : startTime,
                MetaYaml.integer(metaFile, meta, "end_time"),
                firstNonNull(MetaYaml.text(meta, "artifact_uri"), FileUris.of(runDir.resolve("artifacts"))),
                Optional.ofNullable(MetaYaml.text(meta, "lifecycle_stage")).orElse(ExperimentInfo.ACTIVE));
    }

    private static RunStatus status(Path metaFile, JsonNode meta) throws IOException {
        JsonNode value = meta.get("status");
        if (value == null || value.isNull()) return RunStatus.RUNNING;
        try {
            if (value.isIntegralNumber()) return RunStatus.fromCode(value.intValue());
            String text = value.asText().trim();
            return text.matches("\\d+") ? RunStatus.fromCode(Integer.parseInt(text)) : RunStatus.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(metaFile + ": field 'status' is '" + value.asText() + "'; expected 1-5 (RUNNING, "
                    + "SCHEDULED, FINISHED, FAILED, KILLED)", e);
        }
    }

    @Override
    public Optional<RunInfo> getRun(String runId) throws IOException {
        Optional<Path> runDir = findRunDir(runId);
        if (runDir.isEmpty()) return Optional.empty();
        Path metaFile = runDir.get().resolve(MetaYaml.FILE_NAME);
        Optional<JsonNode> meta = MetaYaml.read(metaFile);
        return meta.isEmpty() ? Optional.empty() : Optional.of(runInfo(runDir.get(), metaFile, meta.get()));
    }

    /** Skips, like MLflow, run directories without meta.yaml and runs whose meta names another experiment. */
    @Override
    public List<RunInfo> listRuns(String experimentId) throws IOException {
        MlflowNames.validateExperimentId(experimentId);
        Path experimentDir = root.resolve(experimentId);
        if (!Files.isDirectory(experimentDir)) experimentDir = root.resolve(TRASH).resolve(experimentId);
        if (!Files.isDirectory(experimentDir)) {
            throw new IllegalArgumentException("no experiment with id '" + experimentId + "' in " + describe());
        }
        List<RunInfo> runs = new ArrayList<>();
        for (Path runDir : subdirectories(experimentDir)) {
            if (NOT_RUNS.contains(runDir.getFileName().toString())) continue;
            Path metaFile = runDir.resolve(MetaYaml.FILE_NAME);
            RunInfo run;
            try {
                Optional<JsonNode> meta = MetaYaml.read(metaFile);
                if (meta.isEmpty()) {
                    LOG.debug("Directory {} has no meta.yaml: not a run", runDir);
                    continue;
                }
                run = runInfo(runDir, metaFile, meta.get());
            } catch (IOException e) {
                LOG.warn("Malformed run {} skipped: {}", runDir, e.getMessage());
                continue;
            }
            if (!run.experimentId().equals(experimentId)) {
                LOG.warn("Run {} skipped: its meta.yaml names experiment '{}', not '{}'", runDir, run.experimentId(),
                        experimentId);
                continue;
            }
            if (ExperimentInfo.ACTIVE.equals(run.lifecycleStage())) runs.add(run);
        }
        return runs;
    }

    private Optional<Path> findRunDir(String runId) throws IOException {
        MlflowNames.validateRunId(runId);
        Path cached = runDirs.get(runId);
        if (cached != null && Files.isDirectory(cached)) return Optional.of(cached);
        List<Path> experimentDirs = new ArrayList<>(subdirectories(root));
        experimentDirs.addAll(subdirectories(root.resolve(TRASH)));
        for (Path experimentDir : experimentDirs) {
            String name = experimentDir.getFileName().toString();
            if (name.equals(TRASH) || name.equals(MODELS)) continue;
            Path runDir = experimentDir.resolve(runId);
            if (Files.isRegularFile(runDir.resolve(MetaYaml.FILE_NAME))) {
                runDirs.put(runId, runDir);
                return Optional.of(runDir);
            }
        }
        return Optional.empty();
    }

    private Path requireRunDir(String runId) throws IOException {
        return findRunDir(runId).orElseThrow(
                () -> new IllegalArgumentException("no run with id '" + runId + "' in " + describe()));
    }

    // ---------------------------------------------------------------- params, tags, metrics, artifacts

    @Override
    public void logParams(String runId, Map<String, String> params) throws IOException {
        Path runDir = requireRunDir(runId);
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : params.entrySet()) {
            MlflowNames.validateKey("param key", param.getKey());
            checked.put(param.getKey(), MlflowNames.truncate("param", param.getKey(), param.getValue(),
                    MlflowNames.MAX_PARAM_VALUE_LENGTH));
        }
        Path paramsDir = runDir.resolve("params");
        for (Map.Entry<String, String> param : checked.entrySet()) {
            Path file = paramsDir.resolve(param.getKey());
            if (Files.isRegularFile(file)) requireSameParam(runId, param.getKey(), readUtf8(file), param.getValue());
        }
        for (Map.Entry<String, String> param : checked.entrySet()) {
            Path file = paramsDir.resolve(param.getKey());
            Files.createDirectories(file.getParent());
            Optional<byte[]> existing = AtomicFiles.createIfAbsent(file, utf8(param.getValue()), runDir);
            if (existing.isPresent()) {
                requireSameParam(runId, param.getKey(), new String(existing.get(), StandardCharsets.UTF_8),
                        param.getValue());
            }
        }
    }

    private static void requireSameParam(String runId, String key, String existing, String value) {
        if (!existing.equals(value)) {
            throw new IllegalArgumentException("param '" + key + "' of run " + runId + " already has value '"
                    + existing + "' and cannot be changed to '" + value + "': MLflow params are immutable");
        }
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) throws IOException {
        Path runDir = requireRunDir(runId);
        Map<String, String> checked = MlflowNames.checkedTags(tags);
        for (Map.Entry<String, String> tag : checked.entrySet()) {
            writeKeyFile(runDir.resolve("tags"), tag.getKey(), tag.getValue(), runDir);
        }
        if (checked.containsKey(RUN_NAME_TAG)) renameRun(runDir, checked.get(RUN_NAME_TAG));
    }

    /** Appends each key's lines with one write, so lines from other threads or processes never interleave. */
    @Override
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        Path runDir = requireRunDir(runId);
        Map<String, StringBuilder> linesByKey = new LinkedHashMap<>();
        for (MetricPoint point : points) {
            MlflowNames.validateKey("metric key", point.key());
            if (point.timestampMs() < 0) {
                throw new IllegalArgumentException("metric '" + point.key() + "' has timestamp " + point.timestampMs()
                        + "; MLflow needs milliseconds since the epoch (>= 0)");
            }
            MetricLines.append(linesByKey.computeIfAbsent(point.key(), k -> new StringBuilder()), point);
        }
        Path metricsDir = runDir.resolve("metrics");
        for (Map.Entry<String, StringBuilder> entry : linesByKey.entrySet()) {
            Path file = metricsDir.resolve(entry.getKey());
            if (entry.getKey().indexOf('/') >= 0) Files.createDirectories(file.getParent());
            appendOnce(file, utf8(entry.getValue().toString()));
        }
    }

    /**
     * Appends whole lines or nothing: a write that fails part-way (a full disk) is cut back to the
     * file's previous length, so a reader never sees a half line.
     */
    private static void appendOnce(Path file, byte[] bytes) throws IOException {
        synchronized (stripe(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                long before = channel.size();
                try {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) channel.write(buffer);
                } catch (IOException e) {
                    try {
                        channel.truncate(before);
                    } catch (IOException ignored) {
                        // nothing more can be done; the original error says why
                    }
                    throw e;
                }
            } catch (IOException e) {
                throw org.cinelab.io.IoErrors.at(file, e);
            }
        }
    }

    @Override
    public void logArtifact(String runId, String artifactPath, Path localFile) throws IOException {
        Path runDir = requireRunDir(runId);
        Path artifactsDir = runDir.resolve("artifacts");
        Path target = artifactsDir.resolve(MlflowNames.validateArtifactPath(artifactPath)).normalize();
        if (!target.startsWith(artifactsDir) || target.equals(artifactsDir)) {
            throw new IllegalArgumentException("artifact path '" + artifactPath + "' leaves the run's artifacts/");
        }
        if (!Files.isRegularFile(localFile)) {
            throw new IllegalArgumentException("artifact source " + localFile + " is not a readable file");
        }
        Files.createDirectories(target.getParent());
        AtomicFiles.copyReplacing(localFile, target, runDir);
    }

    /** The run's own {@code artifacts/} folder, whatever absolute path its meta.yaml recorded. */
    @Override
    public Optional<Path> localArtifactDirectory(String runId) throws IOException {
        return findRunDir(runId).map(dir -> dir.resolve("artifacts"));
    }

    // ---------------------------------------------------------------- readers

    @Override
    public Map<String, String> getParams(String runId) throws IOException {
        return readKeyFiles(requireRunDir(runId).resolve("params"));
    }

    @Override
    public Map<String, String> getTags(String runId) throws IOException {
        return readKeyFiles(requireRunDir(runId).resolve("tags"));
    }

    @Override
    public List<MetricPoint> getMetricHistory(String runId, String key) throws IOException {
        MlflowNames.validateKey("metric key", key);
        return MetricLines.read(key, requireRunDir(runId).resolve("metrics").resolve(key));
    }

    @Override
    public List<String> getMetricKeys(String runId) throws IOException {
        Path metricsDir = requireRunDir(runId).resolve("metrics");
        List<String> keys = new ArrayList<>();
        for (Path file : regularFiles(metricsDir)) {
            if (Files.size(file) > 0) keys.add(keyOf(metricsDir, file));
        }
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    /** One file per key under {@code dir}; keys with {@code /} are nested directories. Sorted by key. */
    private static Map<String, String> readKeyFiles(Path dir) throws IOException {
        Map<String, String> values = new TreeMap<>();
        for (Path file : regularFiles(dir)) values.put(keyOf(dir, file), readUtf8(file));
        return values;
    }

    private static String keyOf(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void writeKeyFile(Path dir, String key, String value, Path tempDir) throws IOException {
        Path file = dir.resolve(key);
        Files.createDirectories(file.getParent());
        AtomicFiles.replace(file, utf8(value), tempDir);
    }

    private static String readUtf8(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) if (value != null) return value;
        return null;
    }

    private static Object stripe(Path file) {
        return FILE_STRIPES[Math.floorMod(file.hashCode(), FILE_STRIPES.length)];
    }

    private static Object[] newStripes(int count) {
        Object[] stripes = new Object[count];
        for (int i = 0; i < count; i++) stripes[i] = new Object();
        return stripes;
    }
}
