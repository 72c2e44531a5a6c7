package org.cinelab.tracking.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * MLflow's tracking schema as CineLab uses it. A new database gets the whole schema of MLflow
 * 2.17.0 (alembic revision {@value #CREATED_REVISION}); an existing one keeps its own. CineLab reads
 * and writes only the seven tracking tables, whose columns every MLflow revision since 2.0 shares;
 * it checks them column by column, so a revision it has not seen is accepted when it left them
 * alone and refused, naming {@code mlflow db upgrade}, when it did not.
 */
final class MlflowSchema {
    /** The revision of the schema CineLab creates: MLflow 2.17.0's newest. */
    static final String CREATED_REVISION = "f5a4f2784254";
    /** Revisions CineLab was checked against with databases MLflow itself wrote. */
    static final Map<String, String> CHECKED_REVISIONS = Map.of(
            "f5a4f2784254", "MLflow 2.17.0",
            "7d34483879f0", "MLflow 3.11.2.dev0 (main branch after 3.11.1)");
    /** Single-tenant MLflow 3.x files every experiment under this workspace. */
    static final String DEFAULT_WORKSPACE = "default";

    /** The tracking tables and the columns CineLab reads or writes in each. */
    static final Map<String, List<String>> TRACKING_COLUMNS = trackingColumns();

    private static final String SCHEMA_RESOURCE = "mlflow-2.17-schema.sql";

    /** What CineLab learnt about an existing database's schema. */
    record Layout(String revision, boolean workspaces) {
        boolean checked() {
            return CHECKED_REVISIONS.containsKey(revision);
        }
    }

    private MlflowSchema() {}

    private static Map<String, List<String>> trackingColumns() {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        columns.put("experiments", List.of("experiment_id", "name", "artifact_location", "lifecycle_stage",
                "creation_time", "last_update_time"));
        columns.put("experiment_tags", List.of("key", "value", "experiment_id"));
        columns.put("runs", List.of("run_uuid", "name", "source_type", "source_name", "entry_point_name", "user_id",
                "status", "start_time", "end_time", "source_version", "lifecycle_stage", "artifact_uri",
                "experiment_id", "deleted_time"));
        columns.put("tags", List.of("key", "value", "run_uuid"));
        columns.put("params", List.of("key", "value", "run_uuid"));
        columns.put("metrics", List.of("key", "value", "timestamp", "run_uuid", "step", "is_nan"));
        columns.put("latest_metrics", List.of("key", "value", "timestamp", "step", "is_nan", "run_uuid"));
        return columns;
    }

    /** Table names of the database, alembic's own included. */
    static Set<String> tables(Connection c) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }

    /** Creates MLflow 2.17.0's schema and its Default experiment in the caller's write transaction. */
    static void create(Connection c, String defaultArtifactLocation, long nowMs) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements()) s.execute(statement);
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO experiments (experiment_id, name, "
                + "artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (0, 'Default', ?, 'active', ?, ?)")) {
            insert.setString(1, defaultArtifactLocation);
            insert.setLong(2, nowMs);
            insert.setLong(3, nowMs);
            insert.executeUpdate();
        }
    }

    private static List<String> statements() throws IOException {
        String text;
        try (InputStream in = MlflowSchema.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) throw new IOException("CineLab's jar lacks its resource " + SCHEMA_RESOURCE);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("--")) continue;
            if (line.trim().equals(";")) {
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        if (!current.toString().isBlank()) statements.add(current.toString());
        return statements;
    }

    /**
     * Checks that an existing database is MLflow's and that its tracking tables are ones CineLab can
     * write, and returns its revision.
     *
     * @throws UnusableDatabaseException naming the file, what is wrong and what to do
     */
    static Layout inspect(Connection c, Path file) throws SQLException {
        Set<String> tables = tables(c);
        Set<String> missing = new TreeSet<>(TRACKING_COLUMNS.keySet());
        missing.add("alembic_version");
        missing.removeAll(tables);
        if (missing.containsAll(TRACKING_COLUMNS.keySet())) {
            throw new UnusableDatabaseException(file, "the SQLite database " + file + " is not an MLflow tracking "
                    + "database: it has none of MLflow's tables (" + (tables.isEmpty() ? "it has no tables at all"
                    : "its tables are " + String.join(", ", tables)) + "). Point the tracking URI at an MLflow "
                    + "database, or at a path that does not exist yet so CineLab creates one");
        }
        if (!missing.isEmpty()) {
            throw new UnusableDatabaseException(file, "the SQLite database " + file + " lacks MLflow's table(s) "
                    + String.join(", ", missing) + ": an MLflow older than 1.0 wrote it, or it is damaged. Take a "
                    + "backup, then run `mlflow db upgrade " + SqliteUris.of(file) + "`");
        }
        String revision = revision(c, file);
        String problem = columnProblem(c);
        if (problem != null) {
            throw new UnusableDatabaseException(file, "the MLflow database " + file + " (alembic revision " + revision
                    + ", " + CHECKED_REVISIONS.getOrDefault(revision, "a revision CineLab does not know") + ") has "
                    + "tracking tables CineLab cannot write: " + problem + ". If an older MLflow wrote it, take a "
                    + "backup and run `mlflow db upgrade " + SqliteUris.of(file) + "` with MLflow 2.17 or newer; if a "
                    + "newer MLflow changed these tables, CineLab needs an update, and meanwhile can log to a new "
                    + "database (--tracking-uri sqlite:///other.db) and copy it later with cinelab sync");
        }
        return new Layout(revision, hasColumn(c, "experiments", "workspace"));
    }

    private static String revision(Connection c, Path file) throws SQLException {
        List<String> revisions = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            while (rs.next()) revisions.add(rs.getString(1));
        }
        if (revisions.size() != 1) {
            throw new UnusableDatabaseException(file, "the MLflow database " + file + " has " + revisions.size()
                    + " alembic revisions " + revisions + " where MLflow keeps exactly one: an MLflow migration was "
                    + "interrupted. Take a backup and run `mlflow db upgrade " + SqliteUris.of(file) + "`");
        }
        return revisions.get(0);
    }

    /** The first reason the tracking tables cannot be written, or null when they can. */
    private static String columnProblem(Connection c) throws SQLException {
        for (Map.Entry<String, List<String>> table : TRACKING_COLUMNS.entrySet()) {
            Map<String, Column> columns = columns(c, table.getKey());
            for (String needed : table.getValue()) {
                if (!columns.containsKey(needed)) return "table " + table.getKey() + " has no column " + needed;
            }
            for (Column extra : columns.values()) {
                if (table.getValue().contains(extra.name())) continue;
                if (extra.notNull() && extra.defaultValue() == null && !extra.primaryKey()) {
                    return "table " + table.getKey() + " has a column " + extra.name() + " that must be filled and has "
                            + "no default, which no MLflow revision CineLab knows has";
                }
            }
        }
        return null;
    }

    private record Column(String name, boolean notNull, String defaultValue, boolean primaryKey) {}

    private static Map<String, Column> columns(Connection c, String table) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info('" + table + "')")) {
            while (rs.next()) {
                String name = rs.getString("name");
                columns.put(name, new Column(name, rs.getInt("notnull") == 1, rs.getString("dflt_value"), rs.getInt("pk") > 0));
            }
        }
        return columns;
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        return columns(c, table).containsKey(column);
    }
}
