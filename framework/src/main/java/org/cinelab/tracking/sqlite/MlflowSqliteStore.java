package org.cinelab.tracking.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.cinelab.io.AtomicFiles;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.MlflowNames;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunNames;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;

/**
 * MLflow's own SQLite tracking store ({@code sqlite:///mlflow.db}, MLflow's default since 3.7) written
 * through JDBC: the rows MLflow's {@code SqlAlchemyStore} writes for experiments, runs, params, tags,
 * metrics and {@code latest_metrics}, so {@code mlflow ui --backend-store-uri sqlite:///mlflow.db}
 * shows CineLab's runs while they are logged. Artifacts are plain files beside the database (see
 * {@link ArtifactLocations}).
 *
 * <p>Each call is one transaction: a run appears with all its tags or not at all, a metric batch
 * with its {@code latest_metrics} rows or not at all, even if the process is killed. Databases are
 * put in SQLite's write-ahead log mode, so readers (the MLflow UI) never block CineLab's writes nor
 * the other way round; writers from other processes are waited for up to
 * {@value SqliteDatabase#DEFAULT_BUSY_TIMEOUT_MS} ms.
 * Safe for concurrent use by threads (one connection under a lock) and processes.
 */
public final class MlflowSqliteStore implements Tracker {
    static final String UNKNOWN_SOURCE_TYPE = "UNKNOWN";

    private static final Logger LOG = LoggerFactory.getLogger(MlflowSqliteStore.class);
    private static final String RUN_NAME_TAG = MlflowFileStore.RUN_NAME_TAG;
    private static final String USER_TAG = MlflowFileStore.USER_TAG;
    private static final String RUN_COLUMNS = "run_uuid, experiment_id, name, user_id, status, start_time, end_time, "
            + "artifact_uri, lifecycle_stage";
    private static final String EXPERIMENT_COLUMNS = "experiment_id, name, artifact_location, lifecycle_stage, "
            + "creation_time, last_update_time";

    /** Space held back beside the database (a file of zeros) to end runs FAILED after the disk fills up. */
    static final String RESERVE_SUFFIX = ".cinelab-reserve";
    private static final int RESERVE_BYTES = 256 * 1024;

    private final SqliteDatabase db;
    private final MlflowSchema.Layout layout;
    private final String inWorkspace;
    private volatile boolean reserved;

    private MlflowSqliteStore(SqliteDatabase db, MlflowSchema.Layout layout) {
        this.db = db;
        this.layout = layout;
        this.inWorkspace = layout.workspaces() ? " AND workspace = '" + MlflowSchema.DEFAULT_WORKSPACE + "'" : "";
    }

    /**
     * Opens the database for logging, creating it (and its directory, as MLflow does) with MLflow
     * 2.17.0's schema when absent.
     *
     * @throws UnusableDatabaseException when the file is not MLflow's, has a schema CineLab cannot
     *                                   write, or is read-only
     */
    public static MlflowSqliteStore open(Path database) throws IOException {
        return open(database, true);
    }

    /**
     * Like {@link #open(Path)}; with {@code writeAheadLog} false the database's journal mode is left
     * as it is and new databases keep SQLite's rollback journal (for network file systems, where
     * SQLite's write-ahead log does not work).
     */
    public static MlflowSqliteStore open(Path database, boolean writeAheadLog) throws IOException {
        return open(database, false, writeAheadLog, SqliteDatabase.DEFAULT_BUSY_TIMEOUT_MS);
    }

    /** Opens an existing database only to read it ({@code cinelab report}, the source of a sync); read-only files work. */
    public static MlflowSqliteStore openForReading(Path database) throws IOException {
        return open(database, true, false, SqliteDatabase.DEFAULT_BUSY_TIMEOUT_MS);
    }

    static MlflowSqliteStore open(Path database, boolean readOnly, int busyTimeoutMs) throws IOException {
        return open(database, readOnly, true, busyTimeoutMs);
    }

    static MlflowSqliteStore open(Path database, boolean readOnly, boolean writeAheadLog, int busyTimeoutMs)
            throws IOException {
        Path file = database.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new UnusableDatabaseException(file, file + " is a directory; a sqlite: tracking URI names a database "
                    + "file, e.g. sqlite:///mlflow.db (a directory is a file store: use the path itself)");
        }
        boolean exists = Files.exists(file);
        if (readOnly && !exists) {
            throw new UnusableDatabaseException(file, "there is no SQLite database at " + file
                    + "; check the path (sqlite:///relative.db is relative to the working directory, sqlite:////abs.db absolute)");
        }
        if (!readOnly) requireWritable(file, exists);
        SqliteDatabase db = SqliteDatabase.open(file, readOnly, busyTimeoutMs);
        try {
            boolean empty = unusableIfNotSqlite(file, () -> db.read("read", c -> MlflowSchema.tables(c).isEmpty()));
            if (empty && !readOnly) createSchema(db, file, writeAheadLog);
            MlflowSchema.Layout layout = unusableIfNotSqlite(file, () -> db.read("read the schema of",
                    c -> MlflowSchema.inspect(c, file)));
            if (!layout.checked()) {
                LOG.info("{} has alembic revision {}, which CineLab was not checked against; its tracking tables have "
                        + "every column CineLab writes, so it is used as is", file, layout.revision());
            }
            if (!readOnly && writeAheadLog) useWriteAheadLog(db, file);
            return new MlflowSqliteStore(db, layout);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static void requireWritable(Path file, boolean exists) throws IOException {
        Path dir = file.getParent();
        if (!exists) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UnusableDatabaseException(file, "cannot create the directory " + dir + " for the tracking "
                        + "database " + file + " (" + e.getMessage() + "); choose a writable location");
            }
        }
        if ((exists && !Files.isWritable(file)) || !Files.isWritable(dir)) {
            Path readOnly = exists && !Files.isWritable(file) ? file : dir;
            throw new UnusableDatabaseException(file, "the tracking database " + file + " cannot be written: "
                    + readOnly + " is read-only (permissions, a read-only mount or an immutable file; SQLite also "
                    + "writes a journal beside the database). Make it writable, or log to another database with "
                    + "--tracking-uri sqlite:///other.db; reading it (cinelab report, cinelab sync from it) works as it is");
        }
    }

    private interface Io<T> {
        T get() throws IOException;
    }

    /** A file SQLite cannot read as a database is bad input, not a failure while working. */
    private static <T> T unusableIfNotSqlite(Path file, Io<T> step) throws IOException {
        try {
            return step.get();
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql) {
                int code = SqliteDatabase.primaryCode(sql);
                if (code == SQLiteErrorCode.SQLITE_NOTADB.code || code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
                    throw new UnusableDatabaseException(file, e.getMessage());
                }
            }
            throw e;
        }
    }

    /**
     * Switches a database MLflow made (rollback journal) to the write-ahead log, which stays with the
     * file: measured here, a reader polling like the MLflow UI then waits 0.2 ms instead of up to
     * seconds, and one-point commits run 20x faster. If another connection is in a transaction the
     * switch waits for the next open, and CineLab goes on with the rollback journal.
     */
    private static void useWriteAheadLog(SqliteDatabase db, Path file) throws IOException {
        String mode = db.pragma("PRAGMA journal_mode");
        if (!"wal".equalsIgnoreCase(mode)) {
            try {
                mode = db.pragma("PRAGMA journal_mode = WAL");
            } catch (IOException busy) {
                LOG.warn("Could not switch {} to SQLite's write-ahead log while another connection uses it ({}); "
                        + "logging with its rollback journal, where readers and CineLab wait for each other", file, busy.getMessage());
                return;
            }
            if ("wal".equalsIgnoreCase(mode)) LOG.info("Switched {} to SQLite's write-ahead log (journal_mode=WAL), so "
                    + "readers such as the MLflow UI and CineLab's writes do not wait for each other", file);
        }
        if ("wal".equalsIgnoreCase(mode)) {
            db.pragma("PRAGMA synchronous = NORMAL"); // durable across crashes of this process; SQLite's advice for WAL
        }
    }

    /**
     * WAL first (it cannot change inside a transaction), then the schema, unless another process was
     * quicker; one creating it at this moment makes SQLite refuse the switch at once, so it waits for it.
     */
    private static void createSchema(SqliteDatabase db, Path file, boolean writeAheadLog) throws IOException {
        if (writeAheadLog) db.pragmaWaitingForWriters("PRAGMA journal_mode = WAL");
        boolean created = db.write("create the MLflow schema in", c -> {
            if (!MlflowSchema.tables(c).isEmpty()) return false;
            MlflowSchema.create(c, ArtifactLocations.newExperimentLocation(file.getParent(), "0"), System.currentTimeMillis());
            return true;
        });
        if (created) {
            LOG.info("Created the MLflow tracking database {} (schema of MLflow 2.17.0, alembic revision {})", file,
                    MlflowSchema.CREATED_REVISION);
        }
    }

    /** The database file. */
    public Path database() {
        return db.file();
    }

    /** The connection's database, for tests that set per-connection limits (max_page_count). */
    SqliteDatabase sqlite() {
        return db;
    }

    /** The alembic revision of the database's schema. */
    public String schemaRevision() {
        return layout.revision();
    }

    @Override
    public String location() {
        return "MLflow SQLite database " + db.file();
    }

    @Override
    public String describe() {
        return "MLflow SQLite database " + db.file() + " (browse with: mlflow ui --backend-store-uri "
                + SqliteUris.of(db.file()) + ")";
    }

    /** Sets space aside once a run is created; best effort (a full or read-only disk has none to give). */
    private void reserve() {
        if (reserved || db.isReadOnly()) return;
        reserved = true;
        Path f = reserveFile();
        try {
            if (!Files.exists(f) || Files.size(f) < RESERVE_BYTES) Files.write(f, new byte[RESERVE_BYTES]);
        } catch (IOException e) {
            releaseReserve();
        }
    }

    /** Frees the reserve, so that a transaction ending the runs FAILED finds room in the write-ahead log. */
    @Override
    public void releaseReserve() {
        try {
            Files.deleteIfExists(reserveFile());
        } catch (IOException ignored) {
            // nothing to free
        }
    }

    private Path reserveFile() {
        return db.file().resolveSibling(db.file().getFileName() + RESERVE_SUFFIX);
    }

    /** Closes the connection (SQLite then folds the write-ahead log into the database) and frees the reserve. */
    @Override
    public void close() throws IOException {
        try {
            db.close();
        } finally {
            if (reserved) releaseReserve();
        }
    }

    // ---------------------------------------------------------------- experiments

    @Override
    public String getOrCreateExperiment(String name, Map<String, String> tags) throws IOException {
        MlflowNames.validateExperimentName(name);
        Map<String, String> checkedTags = checkExperimentTags(tags);
        Optional<ExperimentInfo> found = findExperimentByName(name);
        if (found.isPresent() && found.get().isActive()) return found.get().experimentId();
        return db.write("create experiment '" + name + "' in", c -> {
            ExperimentInfo existing = experimentWhere(c, "name = ?", name);
            if (existing != null) {
                if (existing.isActive()) return existing.experimentId();
                throw deleted(existing);
            }
            long now = System.currentTimeMillis();
            long id;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO experiments (name, artifact_location, "
                    + "lifecycle_stage, creation_time, last_update_time) VALUES (?, NULL, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, ExperimentInfo.ACTIVE);
                insert.setLong(3, now);
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?")) {
                update.setString(1, ArtifactLocations.newExperimentLocation(db.file().getParent(), Long.toString(id)));
                update.setLong(2, id);
                update.executeUpdate();
            }
            try (PreparedStatement tag = c.prepareStatement(
                    "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> t : checkedTags.entrySet()) {
                    tag.setString(1, t.getKey());
                    tag.setString(2, t.getValue());
                    tag.setLong(3, id);
                    tag.addBatch();
                }
                tag.executeBatch();
            }
            return Long.toString(id);
        });
    }

    private IllegalStateException deleted(ExperimentInfo existing) {
        String uri = SqliteUris.of(db.file());
        return new IllegalStateException("experiment '" + existing.name() + "' (id " + existing.experimentId()
                + ") exists but is deleted; MLflow keeps the names of deleted experiments: restore it with "
                + "`MLFLOW_TRACKING_URI=" + uri + " mlflow experiments restore --experiment-id " + existing.experimentId()
                + "`, remove it for good with `mlflow gc --backend-store-uri " + uri + "`, or choose another experiment name");
    }

    private static Map<String, String> checkExperimentTags(Map<String, String> tags) {
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

    @Override
    public Optional<ExperimentInfo> findExperimentByName(String name) throws IOException {
        return Optional.ofNullable(db.read("read experiment '" + name + "' from",
                c -> experimentWhere(c, "name = ?", name)));
    }

    /** The experiment with this id, active or deleted. */
    public Optional<ExperimentInfo> getExperiment(String experimentId) throws IOException {
        long id = experimentNumber(experimentId);
        return Optional.ofNullable(db.read("read experiment " + experimentId + " from",
                c -> experimentWhere(c, "experiment_id = ?", id)));
    }

    @Override
    public List<ExperimentInfo> listExperiments() throws IOException {
        return db.read("list the experiments of", c -> {
            List<ExperimentInfo> active = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + EXPERIMENT_COLUMNS + " FROM experiments WHERE "
                    + "lifecycle_stage = ?" + inWorkspace + " ORDER BY experiment_id")) {
                q.setString(1, ExperimentInfo.ACTIVE);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) active.add(experiment(rs));
                }
            }
            List<ExperimentInfo> withTags = new ArrayList<>();
            for (ExperimentInfo e : active) withTags.add(withTags(c, e));
            return withTags;
        });
    }

    private ExperimentInfo experimentWhere(Connection c, String condition, Object value) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + EXPERIMENT_COLUMNS + " FROM experiments WHERE "
                + condition + inWorkspace)) {
            q.setObject(1, value);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? withTags(c, experiment(rs)) : null;
            }
        }
    }

    private static ExperimentInfo experiment(ResultSet rs) throws SQLException {
        String stage = rs.getString("lifecycle_stage");
        return new ExperimentInfo(Long.toString(rs.getLong("experiment_id")), rs.getString("name"),
                rs.getString("artifact_location"), stage == null ? ExperimentInfo.ACTIVE : stage,
                nullableLong(rs, "creation_time"), nullableLong(rs, "last_update_time"), Map.of());
    }

    private static ExperimentInfo withTags(Connection c, ExperimentInfo e) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT key, value FROM experiment_tags WHERE experiment_id = ?")) {
            q.setLong(1, Long.parseLong(e.experimentId()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) tags.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        return new ExperimentInfo(e.experimentId(), e.name(), e.artifactLocation(), e.lifecycleStage(),
                e.creationTimeMs(), e.lastUpdateTimeMs(), tags);
    }

    private static long experimentNumber(String experimentId) {
        if (experimentId == null || !experimentId.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("experiment id '" + experimentId + "' is not one of a SQLite store: "
                    + "MLflow's database stores number experiments 0, 1, 2, ...");
        }
        return Long.parseLong(experimentId);
    }

    // ---------------------------------------------------------------- runs

    @Override
    public String createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags)
            throws IOException {
        long experiment = experimentNumber(experimentId);
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
        String finalName = checkedTags.get(RUN_NAME_TAG);
        String userId = tags.getOrDefault(USER_TAG, System.getProperty("user.name", ""));
        String runId = UUID.randomUUID().toString().replace("-", "");
        reserve();
        return db.write("create a run in", c -> {
            ExperimentInfo info = experimentWhere(c, "experiment_id = ?", experiment);
            if (info == null) throw new IllegalArgumentException("no experiment with id '" + experimentId + "' in " + describe());
            if (!info.isActive()) {
                throw new IllegalArgumentException("experiment '" + info.name() + "' (id " + experimentId
                        + ") is deleted; runs can only be created in active experiments");
            }
            String location = info.artifactLocation() != null ? info.artifactLocation()
                    : ArtifactLocations.newExperimentLocation(db.file().getParent(), experimentId);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO runs (run_uuid, name, source_type, "
                    + "source_name, entry_point_name, user_id, status, start_time, end_time, source_version, "
                    + "lifecycle_stage, artifact_uri, experiment_id, deleted_time) "
                    + "VALUES (?, ?, ?, '', '', ?, ?, ?, NULL, '', ?, ?, ?, NULL)")) {
                insert.setString(1, runId);
                insert.setString(2, finalName);
                insert.setString(3, UNKNOWN_SOURCE_TYPE);
                insert.setString(4, userId);
                insert.setString(5, RunStatus.RUNNING.name());
                insert.setLong(6, startTimeMs);
                insert.setString(7, ExperimentInfo.ACTIVE);
                insert.setString(8, ArtifactLocations.append(location, runId, "artifacts"));
                insert.setLong(9, experiment);
                insert.executeUpdate();
            }
            upsertTags(c, runId, checkedTags);
            return runId;
        });
    }

    @Override
    public void setRunStatus(String runId, RunStatus status, Long endTimeMs) throws IOException {
        MlflowNames.validateRunId(runId);
        db.write("set the status of run " + runId + " in", c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE runs SET status = ?, end_time = ? WHERE run_uuid = ?")) {
                update.setString(1, status.name());
                update.setObject(2, endTimeMs);
                update.setString(3, runId);
                if (update.executeUpdate() == 0) throw noRun(runId);
            }
            return null;
        });
    }

    @Override
    public Optional<RunInfo> getRun(String runId) throws IOException {
        MlflowNames.validateRunId(runId);
        return Optional.ofNullable(db.read("read run " + runId + " from", c -> run(c, runId)));
    }

    /** Active runs; like MLflow, an experiment in any stage can be listed. */
    @Override
    public List<RunInfo> listRuns(String experimentId) throws IOException {
        long experiment = experimentNumber(experimentId);
        return db.read("list the runs of experiment " + experimentId + " in", c -> {
            if (experimentWhere(c, "experiment_id = ?", experiment) == null) {
                throw new IllegalArgumentException("no experiment with id '" + experimentId + "' in " + describe());
            }
            List<RunInfo> runs = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE experiment_id = ? "
                    + "AND (lifecycle_stage = ? OR lifecycle_stage IS NULL)")) {
                q.setLong(1, experiment);
                q.setString(2, ExperimentInfo.ACTIVE);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) runs.add(runInfo(rs));
                }
            }
            return runs;
        });
    }

    private static RunInfo run(Connection c, String runId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_uuid = ?")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? runInfo(rs) : null;
            }
        }
    }

    private static RunInfo runInfo(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        String stage = rs.getString("lifecycle_stage");
        Long start = nullableLong(rs, "start_time");
        return new RunInfo(rs.getString("run_uuid"), Long.toString(rs.getLong("experiment_id")),
                rs.getString("name") == null ? "" : rs.getString("name"),
                rs.getString("user_id") == null ? "" : rs.getString("user_id"),
                status == null ? RunStatus.RUNNING : RunStatus.valueOf(status), start == null ? 0L : start,
                nullableLong(rs, "end_time"), rs.getString("artifact_uri"), stage == null ? ExperimentInfo.ACTIVE : stage);
    }

    private IllegalArgumentException noRun(String runId) {
        return new IllegalArgumentException("no run with id '" + runId + "' in " + describe());
    }

    private void requireRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM runs WHERE run_uuid = ?")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) throw noRun(runId);
            }
        }
    }

    // ---------------------------------------------------------------- params, tags, metrics, artifacts

    @Override
    public void logParams(String runId, Map<String, String> params) throws IOException {
        MlflowNames.validateRunId(runId);
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : params.entrySet()) {
            MlflowNames.validateKey("param key", param.getKey());
            checked.put(param.getKey(), MlflowNames.truncate("param", param.getKey(), param.getValue(),
                    MlflowNames.MAX_PARAM_VALUE_LENGTH));
        }
        db.write("log params of run " + runId + " to", c -> {
            requireRun(c, runId);
            try (PreparedStatement existing = c.prepareStatement("SELECT value FROM params WHERE run_uuid = ? AND key = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> param : checked.entrySet()) {
                    existing.setString(1, runId);
                    existing.setString(2, param.getKey());
                    try (ResultSet rs = existing.executeQuery()) {
                        if (rs.next()) {
                            String old = rs.getString(1);
                            if (!old.equals(param.getValue())) {
                                throw new IllegalArgumentException("param '" + param.getKey() + "' of run " + runId
                                        + " already has value '" + old + "' and cannot be changed to '" + param.getValue()
                                        + "': MLflow params are immutable");
                            }
                            continue;
                        }
                    }
                    insert.setString(1, param.getKey());
                    insert.setString(2, param.getValue());
                    insert.setString(3, runId);
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) throws IOException {
        MlflowNames.validateRunId(runId);
        Map<String, String> checked = MlflowNames.checkedTags(tags);
        db.write("set tags of run " + runId + " in", c -> {
            requireRun(c, runId);
            upsertTags(c, runId, checked);
            if (checked.containsKey(RUN_NAME_TAG)) {
                try (PreparedStatement rename = c.prepareStatement("UPDATE runs SET name = ? WHERE run_uuid = ?")) {
                    rename.setString(1, checked.get(RUN_NAME_TAG));
                    rename.setString(2, runId);
                    rename.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void upsertTags(Connection c, String runId, Map<String, String> tags) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) "
                + "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                upsert.setString(1, tag.getKey());
                upsert.setString(2, tag.getValue());
                upsert.setString(3, runId);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * Inserts the points and moves {@code latest_metrics} forward in one transaction, as MLflow's
     * {@code _log_metrics} does: NaN is stored as 0 with {@code is_nan = 1}, ±infinity as
     * ±{@link Double#MAX_VALUE}, and a point the run already has (same key, step, timestamp and
     * value) is not stored twice.
     */
    @Override
    public void logMetrics(String runId, List<MetricPoint> points) throws IOException {
        MlflowNames.validateRunId(runId);
        for (MetricPoint point : points) {
            MlflowNames.validateKey("metric key", point.key());
            if (point.timestampMs() < 0) {
                throw new IllegalArgumentException("metric '" + point.key() + "' has timestamp " + point.timestampMs()
                        + "; MLflow needs milliseconds since the epoch (>= 0)");
            }
        }
        if (points.isEmpty()) return;
        db.write("log " + points.size() + " metric point(s) of run " + runId + " to", c -> {
            requireRun(c, runId);
            Map<String, StoredPoint> latest = new HashMap<>();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO metrics (key, value, timestamp, run_uuid, "
                    + "step, is_nan) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (MetricPoint point : points) {
                    StoredPoint stored = StoredPoint.of(point);
                    insert.setString(1, point.key());
                    insert.setDouble(2, stored.value());
                    insert.setLong(3, point.timestampMs());
                    insert.setString(4, runId);
                    insert.setLong(5, point.step());
                    insert.setInt(6, stored.isNan() ? 1 : 0);
                    insert.addBatch();
                    latest.merge(point.key(), stored, StoredPoint::later);
                }
                insert.executeBatch();
            }
            updateLatest(c, runId, latest);
            return null;
        });
    }

    private static void updateLatest(Connection c, String runId, Map<String, StoredPoint> candidates) throws SQLException {
        try (PreparedStatement current = c.prepareStatement("SELECT value, timestamp, step, is_nan FROM latest_metrics "
                + "WHERE run_uuid = ? AND key = ?");
             PreparedStatement upsert = c.prepareStatement("INSERT INTO latest_metrics (key, value, timestamp, step, "
                     + "is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET "
                     + "value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan")) {
            for (Map.Entry<String, StoredPoint> candidate : candidates.entrySet()) {
                current.setString(1, runId);
                current.setString(2, candidate.getKey());
                try (ResultSet rs = current.executeQuery()) {
                    if (rs.next()) {
                        StoredPoint old = new StoredPoint(rs.getDouble(1), rs.getLong(2), rs.getLong(3), rs.getInt(4) == 1);
                        if (!candidate.getValue().isLaterThan(old)) continue;
                    }
                }
                StoredPoint p = candidate.getValue();
                upsert.setString(1, candidate.getKey());
                upsert.setDouble(2, p.value());
                upsert.setLong(3, p.timestamp());
                upsert.setLong(4, p.step());
                upsert.setInt(5, p.isNan() ? 1 : 0);
                upsert.setString(6, runId);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    @Override
    public void logArtifact(String runId, String artifactPath, Path localFile) throws IOException {
        MlflowNames.validateArtifactPath(artifactPath);
        RunInfo run = getRun(runId).orElseThrow(() -> noRun(runId));
        Path artifactsDir = requireLocalArtifacts(run);
        Path target = artifactsDir.resolve(artifactPath).normalize();
        if (!target.startsWith(artifactsDir) || target.equals(artifactsDir)) {
            throw new IllegalArgumentException("artifact path '" + artifactPath + "' leaves the run's artifacts/");
        }
        if (!Files.isRegularFile(localFile)) {
            throw new IllegalArgumentException("artifact source " + localFile + " is not a readable file");
        }
        Files.createDirectories(target.getParent());
        AtomicFiles.copyReplacing(localFile, target, artifactsDir.getParent());
    }

    private Path requireLocalArtifacts(RunInfo run) {
        return ArtifactLocations.localDirectory(run.artifactUri(), db.file().getParent()).orElseThrow(() ->
                new IllegalArgumentException("run " + run.runId() + " keeps its artifacts at '" + run.artifactUri()
                        + "', which is not on this machine: CineLab writes the artifacts of a SQLite store to local "
                        + "paths, file: URIs and mlflow-artifacts: locations (under " + ArtifactLocations.SERVER_DESTINATION
                        + "/ beside the database); log to an MLflow server to reach remote artifact stores"));
    }

    @Override
    public Optional<Path> localArtifactDirectory(String runId) throws IOException {
        return getRun(runId).flatMap(run -> ArtifactLocations.localDirectory(run.artifactUri(), db.file().getParent()));
    }

    // ---------------------------------------------------------------- readers

    @Override
    public Map<String, String> getParams(String runId) throws IOException {
        return keyValues(runId, "params");
    }

    @Override
    public Map<String, String> getTags(String runId) throws IOException {
        return keyValues(runId, "tags");
    }

    private Map<String, String> keyValues(String runId, String table) throws IOException {
        MlflowNames.validateRunId(runId);
        return db.read("read the " + table + " of run " + runId + " from", c -> {
            requireRun(c, runId);
            Map<String, String> values = new TreeMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT key, value FROM " + table + " WHERE run_uuid = ?")) {
                q.setString(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) values.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
                }
            }
            return values;
        });
    }

    /** In logging order (SQLite's row order); NaN comes back as NaN, infinity as MLflow stored it (±{@link Double#MAX_VALUE}). */
    @Override
    public List<MetricPoint> getMetricHistory(String runId, String key) throws IOException {
        MlflowNames.validateRunId(runId);
        MlflowNames.validateKey("metric key", key);
        return db.read("read metric '" + key + "' of run " + runId + " from", c -> {
            requireRun(c, runId);
            List<MetricPoint> points = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT value, timestamp, step, is_nan FROM metrics "
                    + "WHERE run_uuid = ? AND key = ? ORDER BY rowid")) {
                q.setString(1, runId);
                q.setString(2, key);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        double value = rs.getInt(4) == 1 ? Double.NaN : rs.getDouble(1);
                        points.add(new MetricPoint(key, value, rs.getLong(3), rs.getLong(2)));
                    }
                }
            }
            return points;
        });
    }

    @Override
    public List<String> getMetricKeys(String runId) throws IOException {
        MlflowNames.validateRunId(runId);
        return db.read("read the metric keys of run " + runId + " from", c -> {
            requireRun(c, runId);
            List<String> keys = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT key FROM latest_metrics WHERE run_uuid = ?")) {
                q.setString(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) keys.add(rs.getString(1));
                }
            }
            keys.sort(Comparator.naturalOrder());
            return keys;
        });
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
