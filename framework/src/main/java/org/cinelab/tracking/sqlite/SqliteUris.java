package org.cinelab.tracking.sqlite;

import java.nio.file.Path;
import java.util.Locale;
import org.cinelab.tracking.UnsupportedTrackingUriException;

/**
 * {@code sqlite:} tracking URIs as MLflow (that is, SQLAlchemy) spells them: {@code sqlite:///mlflow.db}
 * is {@code mlflow.db} relative to the working directory, {@code sqlite:////abs/mlflow.db} an absolute
 * path, {@code sqlite:///C:/runs/mlflow.db} a Windows one.
 */
public final class SqliteUris {
    private static final String PREFIX = "sqlite:///";
    private static final String EXPECTED = "expected sqlite:///relative/path/mlflow.db or sqlite:////absolute/path/mlflow.db";

    private SqliteUris() {}

    /** True when {@code uri} has the {@code sqlite} scheme, well-formed or not. */
    public static boolean isSqliteUri(String uri) {
        return uri != null && uri.trim().toLowerCase(Locale.ROOT).startsWith("sqlite:");
    }

    /**
     * The database file a {@code sqlite:} URI names, absolute and normalized.
     *
     * @throws UnsupportedTrackingUriException for in-memory databases, query options and malformed URIs
     */
    public static Path databasePath(String uri) {
        String trimmed = uri.trim();
        if (!trimmed.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new UnsupportedTrackingUriException(uri, "tracking URI '" + uri + "' is not a SQLite database URI: "
                    + EXPECTED + " (three slashes, then the path)");
        }
        String path = trimmed.substring(PREFIX.length());
        if (path.isEmpty() || path.equals(":memory:")) {
            throw new UnsupportedTrackingUriException(uri, "tracking URI '" + uri + "' names an in-memory database, "
                    + "which would lose every run when CineLab exits: " + EXPECTED);
        }
        if (path.contains("?")) {
            throw new UnsupportedTrackingUriException(uri, "tracking URI '" + uri + "' has query options ("
                    + path.substring(path.indexOf('?')) + "), which CineLab does not support: " + EXPECTED);
        }
        if (path.endsWith("/")) {
            throw new UnsupportedTrackingUriException(uri, "tracking URI '" + uri + "' names a directory, not a "
                    + "database file: " + EXPECTED);
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** The URI MLflow's tools take for a database file: {@code sqlite:////abs/path.db}. */
    public static String of(Path database) {
        String path = database.toAbsolutePath().normalize().toString().replace('\\', '/');
        return PREFIX + path;
    }
}
