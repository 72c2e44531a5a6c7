package org.cinelab.tracking;

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

/**
 * Picks the tracking backend for a URI the way MLflow does: an explicit URI, else
 * {@code MLFLOW_TRACKING_URI}, else {@code ./mlruns}. Directory paths and {@code file:} URIs open an
 * {@link MlflowFileStore}, {@code http(s)://} URIs a {@link RestTracker} (credentials from MLflow's
 * environment variables); everything else (databases, Databricks) is refused clearly.
 */
public final class TrackerFactory {
    public static final String TRACKING_URI_ENV = "MLFLOW_TRACKING_URI";
    public static final String DEFAULT_URI = "./mlruns";

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");

    private TrackerFactory() {}

    public static Tracker open(String uri) throws IOException {
        String resolved = resolveUri(uri);
        if (isServerUri(resolved)) return RestTracker.open(resolved, System.getenv());
        return new MlflowFileStore(fileStoreRoot(resolved));
    }

    /**
     * The URI {@link #open} uses, spelled so that it means the same from any directory: a file
     * store as an absolute {@code file:} URI, a server URL without credentials. Recorded for
     * {@code --resume}.
     */
    public static String canonicalUri(String uri) {
        String resolved = resolveUri(uri);
        if (isServerUri(resolved)) return Secrets.redactUri(resolved);
        return FileUris.of(fileStoreRoot(resolved));
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
        String scheme = schemeOf(uri);
        if (scheme == null) return Path.of(uri).toAbsolutePath().normalize();
        if (!scheme.equals("file")) throw unsupported(uri);
        return Path.of(filePath(uri)).toAbsolutePath().normalize();
    }

    /** Lower-case scheme, or null for a plain path (Windows drive letters included). */
    private static String schemeOf(String uri) {
        if (uri.equalsIgnoreCase("databricks") || uri.equalsIgnoreCase("databricks-uc")) return "databricks";
        Matcher m = SCHEME.matcher(uri);
        if (!m.find() || m.group(1).length() == 1) return null;
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    private static String filePath(String uri) {
        try {
            URI parsed = new URI(uri);
            String host = parsed.getHost() != null ? parsed.getHost() : parsed.getAuthority();
            if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new UnsupportedTrackingUriException(uri, "tracking URI '" + uri + "' names the remote host '"
                        + host + "'; file: URIs must point to this machine, like file:///abs/mlruns");
            }
            String path = parsed.isOpaque() ? parsed.getSchemeSpecificPart() : parsed.getPath();
            return requireNonEmpty(uri, path);
        } catch (URISyntaxException e) {
            String path = uri.substring("file:".length());
            if (path.startsWith("//")) path = path.substring(path.indexOf('/', 2) < 0 ? path.length() : path.indexOf('/', 2));
            return requireNonEmpty(uri, path);
        }
    }

    private static String requireNonEmpty(String uri, String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("tracking URI '" + uri + "' names no directory; expected e.g. "
                    + "file:///abs/mlruns or ./mlruns");
        }
        return path;
    }

    private static UnsupportedTrackingUriException unsupported(String uri) {
        return new UnsupportedTrackingUriException(uri, "tracking URI '" + Secrets.redactUri(uri) + "' is not "
                + "supported yet: use a directory path, a file: URI or an MLflow tracking server URL (http(s)://host:port)");
    }
}
