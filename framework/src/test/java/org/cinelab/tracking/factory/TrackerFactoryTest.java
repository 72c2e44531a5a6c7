package org.cinelab.tracking.factory;

import org.cinelab.tracking.FileUris;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.UnsupportedTrackingUriException;
import org.cinelab.tracking.factory.TrackerFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrackerFactoryTest {

    @Test
    void an_explicit_uri_wins_then_the_environment_then_dot_mlruns() {
        Map<String, String> env = Map.of(TrackerFactory.TRACKING_URI_ENV, "file:///env/mlruns");
        assertEquals("/x/store", TrackerFactory.resolveUri(" /x/store ", env));
        assertEquals("file:///env/mlruns", TrackerFactory.resolveUri(null, env));
        assertEquals("file:///env/mlruns", TrackerFactory.resolveUri("  ", env));
        assertEquals("./mlruns", TrackerFactory.resolveUri(null, Map.of()));
    }

    @Test
    void paths_and_file_uris_name_a_directory() {
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals(Path.of("/abs/mlruns"), TrackerFactory.fileStoreRoot("/abs/mlruns"));
        assertEquals(Path.of("/abs/mlruns"), TrackerFactory.fileStoreRoot("file:/abs/mlruns"));
        assertEquals(Path.of("/abs/mlruns"), TrackerFactory.fileStoreRoot("file:///abs/mlruns"));
        assertEquals(Path.of("/abs/my runs"), TrackerFactory.fileStoreRoot("file:///abs/my%20runs"));
        assertEquals(Path.of("/abs/mlruns"), TrackerFactory.fileStoreRoot("file://localhost/abs/mlruns"));
        assertEquals(cwd.resolve("mlruns"), TrackerFactory.fileStoreRoot("file:mlruns"));
        assertEquals(cwd.resolve("mlruns"), TrackerFactory.fileStoreRoot("./mlruns"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"databricks", "databricks://profile", "postgresql://u@h/db",
            "file://otherhost/abs/mlruns"})
    void other_uris_are_refused_with_what_would_work(String uri) {
        UnsupportedTrackingUriException e = assertThrows(UnsupportedTrackingUriException.class,
                () -> TrackerFactory.open(uri));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals(uri, e.uri());
        assertTrue(e.getMessage().contains("'" + uri + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("file:"), e.getMessage());
    }

    @Test
    void the_refusal_says_what_to_use_instead() {
        UnsupportedTrackingUriException e = assertThrows(UnsupportedTrackingUriException.class,
                () -> TrackerFactory.open("postgresql://u@h/db"));
        assertEquals("tracking URI 'postgresql://u@h/db' is not supported: use a directory path, a file: URI, a SQLite "
                + "database (sqlite:///mlflow.db) or an MLflow tracking server URL (http(s)://host:port)", e.getMessage());
    }

    @Test
    void a_sqlite_uri_opens_a_sqlite_store_creating_the_database_and_its_directory(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("sub/mlflow.db");
        try (Tracker tracker = TrackerFactory.open("sqlite:///" + db)) {
            assertInstanceOf(org.cinelab.tracking.sqlite.MlflowSqliteStore.class, tracker);
            assertTrue(Files.isRegularFile(db));
            assertEquals("sqlite:////" + db.toString().substring(1), tracker.describe()
                    .replaceFirst(".*--backend-store-uri ", "").replaceFirst("\\)$", ""));
        }
        assertEquals("sqlite:///" + db, TrackerFactory.canonicalUri("sqlite:///" + db));
        try (Tracker reader = TrackerFactory.openForReading("sqlite:///" + db)) {
            assertEquals("0", reader.findExperimentByName("Default").orElseThrow().experimentId());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite://", "sqlite:///:memory:", "sqlite:///x.db?mode=ro", "sqlite:/x.db", "sqlite:x.db",
            "sqlite:///dir/"})
    void malformed_and_in_memory_sqlite_uris_are_refused_with_the_expected_spelling(String uri) {
        UnsupportedTrackingUriException e = assertThrows(UnsupportedTrackingUriException.class, () -> TrackerFactory.open(uri));
        assertTrue(e.getMessage().contains("sqlite:///relative/path/mlflow.db or sqlite:////absolute/path/mlflow.db"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:5000", "https://mlflow.example.com/prefix/", "HTTP://host:5000"})
    void http_and_https_uris_open_a_rest_tracker_without_contacting_the_server(String uri) throws Exception {
        try (Tracker tracker = TrackerFactory.open(uri)) {
            assertInstanceOf(org.cinelab.tracking.rest.RestTracker.class, tracker);
            assertTrue(tracker.describe().contains("MLflow tracking server"), tracker.describe());
        }
    }

    @Test
    void a_file_uri_opens_a_file_store_with_its_default_experiment(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("mlruns");
        try (Tracker tracker = TrackerFactory.open(FileUris.of(root))) {
            assertInstanceOf(MlflowFileStore.class, tracker);
            assertTrue(Files.isRegularFile(root.resolve("0/meta.yaml")));
            assertTrue(tracker.describe().contains(root.toString()), tracker.describe());
        }
    }
}
