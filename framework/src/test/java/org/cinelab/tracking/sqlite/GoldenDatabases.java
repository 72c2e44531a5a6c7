package org.cinelab.tracking.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Assumptions;

/**
 * The SQLite databases MLflow 2.17.0 and MLflow main (3.11.2.dev0) wrote themselves, with the REST
 * transcripts recorded while they were written ({@code ../shared/data/mlflow-golden}).
 */
final class GoldenDatabases {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One golden database: its file name, transcript, alembic revision and table count. */
    enum Golden {
        V2_17("sqlite-2.17.db", "transcripts-2.17.json", "f5a4f2784254", 19),
        MASTER("sqlite-master.db", "transcripts-master.json", "7d34483879f0", 48);

        final String file;
        final String transcript;
        final String revision;
        final int tables;

        Golden(String file, String transcript, String revision, int tables) {
            this.file = file;
            this.transcript = transcript;
            this.revision = revision;
            this.tables = tables;
        }

        Path path() {
            Path dir = SharedData.require().resolve("mlflow-golden");
            Assumptions.assumeTrue(Files.isRegularFile(dir.resolve(file)), "../shared/data/mlflow-golden/" + file + " not present: skipping");
            return dir.resolve(file);
        }

        /** A writable copy (the shared file is read-only and must stay untouched). */
        Path copyTo(Path dir) throws IOException {
            Path copy = dir.resolve(file);
            Files.createDirectories(dir);
            Files.copy(path(), copy);
            copy.toFile().setWritable(true);
            return copy;
        }

        JsonNode transcript() throws IOException {
            return JSON.readTree(path().resolveSibling(transcript).toFile());
        }

        /** The answer body of the named exchange, which must have succeeded. */
        JsonNode answer(String exchange) throws IOException {
            for (JsonNode e : transcript().get("exchanges")) {
                if (e.get("name").asText().equals(exchange)) {
                    assertEquals(200, e.get("status").asInt(), exchange);
                    return e.get("response_body");
                }
            }
            throw new AssertionError(transcript + " has no exchange " + exchange);
        }
    }

    private GoldenDatabases() {}

    static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> values = new TreeMap<>();
        if (list != null) for (JsonNode kv : list) values.put(kv.get("key").asText(), kv.get("value").asText());
        return values;
    }

    /** A plain JDBC connection, for looking at rows as MLflow would. */
    static Connection connect(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    static List<List<Object>> rows(Path db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
                rows.add(row);
            }
            return rows;
        }
    }

    static Object single(Path db, String sql) throws SQLException {
        List<List<Object>> rows = rows(db, sql);
        assertEquals(1, rows.size(), sql);
        return rows.get(0).get(0);
    }
}
