package org.cinelab.tracking.sqlite;

import static org.cinelab.tracking.sqlite.GoldenDatabases.connect;
import static org.cinelab.tracking.sqlite.GoldenDatabases.rows;
import static org.cinelab.tracking.sqlite.GoldenDatabases.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.sqlite.GoldenDatabases.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new database gets MLflow 2.17.0's schema, column for column; existing databases keep theirs;
 * files that are not MLflow's, and schemas CineLab cannot write, are refused before any work.
 */
class SqliteSchemaTest {
    @TempDir
    Path dir;

    @Test
    void a_new_database_has_the_schema_mlflow_2_17_gives_a_new_database() throws Exception {
        Path db = dir.resolve("mlflow.db");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            assertEquals("f5a4f2784254", store.schemaRevision());
        }
        assertEquals(shape(Golden.V2_17.path()), shape(db));
        assertEquals("f5a4f2784254", single(db, "SELECT version_num FROM alembic_version"));
        assertEquals("wal", single(db, "PRAGMA journal_mode"), "new databases use the write-ahead log");
        assertEquals(List.of(List.of(0, "Default", dir.resolve("mlruns/0").toString(), "active")),
                rows(db, "SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments"));
    }

    /**
     * Four stores race to create one new database, 30 times: about 1 race in 30 once ended with SQLite
     * refusing the switch to the write-ahead log at once (SQLITE_BUSY without waiting) while another store
     * created the schema.
     */
    @Test
    void two_stores_opening_one_new_database_at_once_create_the_schema_once() throws Exception {
        for (int race = 0; race < 30; race++) raceToCreate(dir.resolve("raced-" + race + ".db"));
    }

    private static void raceToCreate(Path db) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
                    store.getOrCreateExperiment("race", Map.of());
                    store.createRun(store.getOrCreateExperiment("race", Map.of()), "r" + n, 1L, Map.of());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertEquals(List.of(), failures, db.getFileName().toString());
        assertEquals(2, single(db, "SELECT count(*) FROM experiments"));
        assertEquals(4, single(db, "SELECT count(*) FROM runs"));
        assertEquals("wal", single(db, "PRAGMA journal_mode"));
    }

    @Test
    void an_unknown_revision_that_left_the_tracking_tables_alone_is_used() throws Exception {
        Path db = Golden.MASTER.copyTo(dir);
        execute(db, "UPDATE alembic_version SET version_num = 'abcdef123456'",
                "CREATE TABLE some_new_feature (id INTEGER PRIMARY KEY)",
                "ALTER TABLE runs ADD COLUMN new_optional VARCHAR(20)");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            assertEquals("abcdef123456", store.schemaRevision());
            String run = store.createRun("1", "after-upgrade", 1L, Map.of());
            assertEquals("after-upgrade", store.getRun(run).orElseThrow().runName());
        }
    }

    @Test
    void a_revision_that_added_a_required_column_is_refused_naming_mlflow_db_upgrade() throws Exception {
        Path db = Golden.V2_17.copyTo(dir);
        execute(db, "UPDATE alembic_version SET version_num = 'abcdef123456'",
                "ALTER TABLE metrics ADD COLUMN dataset_id VARCHAR(36) NOT NULL DEFAULT 'x'",
                "CREATE TABLE params_new (\"key\" VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32) "
                        + "NOT NULL, scope VARCHAR(20) NOT NULL, CONSTRAINT param_pk PRIMARY KEY (\"key\", run_uuid))",
                "DROP TABLE params", "ALTER TABLE params_new RENAME TO params");
        UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> MlflowSqliteStore.open(db));
        assertTrue(e.getMessage().contains("table params has a column scope that must be filled and has no default"), e.getMessage());
        assertTrue(e.getMessage().contains("mlflow db upgrade " + SqliteUris.of(db)), e.getMessage());
        assertTrue(e.getMessage().contains("abcdef123456"), e.getMessage());
    }

    @Test
    void a_database_older_than_mlflow_2_is_refused_naming_mlflow_db_upgrade() throws Exception {
        Path db = Golden.V2_17.copyTo(dir);
        execute(db, "UPDATE alembic_version SET version_num = 'bd07f7e963c5'", "ALTER TABLE runs DROP COLUMN deleted_time");
        UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> MlflowSqliteStore.open(db));
        assertTrue(e.getMessage().contains("table runs has no column deleted_time"), e.getMessage());
        assertTrue(e.getMessage().contains("`mlflow db upgrade " + SqliteUris.of(db) + "`"), e.getMessage());
    }

    @Test
    void a_sqlite_database_that_is_not_mlflows_is_refused_and_left_alone() throws Exception {
        Path db = dir.resolve("inventory.db");
        execute(db, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO items (name) VALUES ('chair')");
        UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> MlflowSqliteStore.open(db));
        assertEquals("the SQLite database " + db + " is not an MLflow tracking database: it has none of MLflow's tables "
                + "(its tables are items). Point the tracking URI at an MLflow database, or at a path that does not exist "
                + "yet so CineLab creates one", e.getMessage());
        assertEquals(List.of(List.of("items")), rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'"));
    }

    @Test
    void a_file_that_is_not_sqlite_is_refused_and_left_alone() throws Exception {
        Path db = Files.writeString(dir.resolve("notes.db"), "these are my notes, not a database\n".repeat(200));
        byte[] before = Files.readAllBytes(db);
        UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> MlflowSqliteStore.open(db));
        assertTrue(e.getMessage().startsWith("could not read the tracking database " + db + ": it is not an SQLite database"),
                e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)));
    }

    @Test
    void a_directory_or_a_missing_file_to_read_is_refused() {
        UnusableDatabaseException directory = assertThrows(UnusableDatabaseException.class, () -> MlflowSqliteStore.open(dir));
        assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
        UnusableDatabaseException missing = assertThrows(UnusableDatabaseException.class,
                () -> MlflowSqliteStore.openForReading(dir.resolve("none.db")));
        assertTrue(missing.getMessage().startsWith("there is no SQLite database at " + dir.resolve("none.db")), missing.getMessage());
    }

    @Test
    void a_deleted_experiment_keeps_its_name_as_mlflow_does() throws Exception {
        Path db = dir.resolve("mlflow.db");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            store.getOrCreateExperiment("gone", Map.of());
        }
        execute(db, "UPDATE experiments SET lifecycle_stage = 'deleted' WHERE name = 'gone'");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            assertEquals(ExperimentInfo.DELETED, store.findExperimentByName("gone").orElseThrow().lifecycleStage());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.getOrCreateExperiment("gone", Map.of()));
            assertTrue(e.getMessage().contains("mlflow experiments restore --experiment-id 1"), e.getMessage());
            assertTrue(store.listExperiments().stream().noneMatch(x -> x.name().equals("gone")));
        }
    }

    static void execute(Path db, String... statements) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    /** Every table's columns, foreign keys and indexes, as SQLite describes them. */
    static Map<String, String> shape(Path db) throws SQLException {
        Map<String, String> shape = new TreeMap<>();
        try (Connection c = connect(db)) {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String table : tables) {
                StringBuilder sb = new StringBuilder();
                sb.append(describe(c, "PRAGMA table_info('" + table + "')")).append('|');
                sb.append(describe(c, "PRAGMA foreign_key_list('" + table + "')")).append('|');
                List<String> indexes = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA index_list('" + table + "')")) {
                    while (rs.next()) {
                        String name = rs.getString("name");
                        indexes.add((name.startsWith("sqlite_autoindex") ? "auto" : name) + rs.getInt("unique")
                                + rs.getString("origin") + describe(c, "PRAGMA index_info('" + name + "')"));
                    }
                }
                indexes.sort(null);
                sb.append(indexes);
                shape.put(table, sb.toString());
            }
        }
        return shape;
    }

    private static String describe(Connection c, String pragma) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(pragma)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) row.append(rs.getString(i)).append(',');
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows.toString();
    }
}
