package org.cinelab.tracking.factory;

import org.cinelab.tracking.FileUris;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.UnsupportedTrackingUriException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cinelab.tracking.rest.RestTracker;
import org.cinelab.tracking.rest.Secrets;
import org.cinelab.tracking.sqlite.MlflowSqliteStore;
import org.cinelab.tracking.sqlite.SqliteUris;

/**
 * Picks the tracking backend for a URI the way MLflow does: an explicit URI, else
 * {@code MLFLOW_TRACKING_URI}, else {@code ./mlruns}. Directory paths and {@code file:} URIs open an
 * {@link MlflowFileStore}, {@code sqlite:///path.db} URIs an {@link MlflowSqliteStore}, {@code http(s)://}
 * URIs a {@link RestTracker} (credentials from MLflow's environment variables); everything else (other
 * databases, Databricks) is refused clearly.
 */
public final class TrackerFactory {
    public static final String TRACKING_URI_ENV = "MLFLOW_TRACKING_URI";
    public static final String DEFAULT_URI = "./mlruns";
    /** {@code false} keeps SQLite databases in their rollback-journal mode (for network file systems). */
    public static final String SQLITE_WAL_ENV = "CINELAB_SQLITE_WAL";


    private TrackerFactory() {}

    public static Tracker open(String uri) throws IOException {
        String resolved = resolveUri(uri);
        if (isServerUri(resolved)) return RestTracker.open(resolved, System.getenv());
        if (SqliteUris.isSqliteUri(resolved)) {
            return MlflowSqliteStore.open(SqliteUris.databasePath(resolved), !"false".equalsIgnoreCase(System.getenv(SQLITE_WAL_ENV)));
        }
        return new MlflowFileStore(fileStoreRoot(resolved));
    }

    /** Refuses what {@link #open} would refuse for its scheme or form, without opening or creating anything. */
    public static void requireSupported(String uri) {
        String resolved = resolveUri(uri);
        if (SqliteUris.isSqliteUri(resolved)) SqliteUris.databasePath(resolved);
        else if (!isServerUri(resolved)) fileStoreRoot(resolved);
    }

    /**
     * The URI {@link #open} uses, spelled so that it means the same from any directory: a file
     * store as an absolute {@code file:} URI, a SQLite database as {@code sqlite:////abs/path.db},
     * a server URL without credentials. Recorded for {@code --resume}.
     */
    public static String canonicalUri(String uri) {
        String resolved = resolveUri(uri);
        if (isServerUri(resolved)) return Secrets.redactUri(resolved);
        if (SqliteUris.isSqliteUri(resolved)) return SqliteUris.of(SqliteUris.databasePath(resolved));
        return FileUris.of(fileStoreRoot(resolved));
    }

    /**
     * Like {@link #open}, for reading only: a SQLite database must exist already and may be a
     * read-only file.
     */
    public static Tracker openForReading(String uri) throws IOException {
        String resolved = resolveUri(uri);
        if (SqliteUris.isSqliteUri(resolved)) return MlflowSqliteStore.openForReading(SqliteUris.databasePath(resolved));
        return open(resolved);
    }

    /** True for {@code http://} and {@code https://} tracking server URLs. */
    public static boolean isServerUri(String uri) {
        String scheme = schemeOf(uri.trim());
        return "http".equals(scheme) || "https".equals(scheme);
    }

    /** The URI that {@link #open} will use: {@code uri} if given, else the environment's, else {@code ./mlruns}. */
    public static String resolveUri(String uri) {
        return resolveUri(uri, System.getenv());
    }

    static String resolveUri(String uri, Map<String, String> env) {
        if (uri != null && !uri.isBlank()) return uri.trim();
        String fromEnv = env.get(TRACKING_URI_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv.trim();
        return DEFAULT_URI;
    }

    /**
     * The store directory a path or {@code file:} URI names ({@code file:/abs}, {@code file:///abs},
     * {@code file://localhost/abs}, {@code file:relative}); relative paths resolve against the
     * working directory.
     *
     * @throws UnsupportedTrackingUriException for any other scheme
     */
    public static Path fileStoreRoot(String uri) {
        // MLflow reads a bare "databricks" as a workspace, not as a directory of that name.
        if ("databricks".equals(schemeOf(uri.trim()))) throw unsupported(uri);
        return FileUris.localPath(uri).orElseThrow(() -> unsupported(uri));
    }

    /** Lower-case scheme, or null for a plain path (Windows drive letters included). */
    private static String schemeOf(String uri) {
        if (uri.equalsIgnoreCase("databricks") || uri.equalsIgnoreCase("databricks-uc")) return "databricks";
        return FileUris.scheme(uri);
    }

    private static UnsupportedTrackingUriException unsupported(String uri) {
        return new UnsupportedTrackingUriException(uri, "tracking URI '" + Secrets.redactUri(uri) + "' is not "
                + "supported: use a directory path, a file: URI, a SQLite database (sqlite:///mlflow.db) or an MLflow tracking "
                + "server URL (http(s)://host:port)");
    }
}
