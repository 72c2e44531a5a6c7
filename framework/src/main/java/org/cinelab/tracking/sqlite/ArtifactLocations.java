package org.cinelab.tracking.sqlite;

import org.cinelab.tracking.FileUris;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a SQLite store's artifacts live on disk. Experiments CineLab creates put them where MLflow's
 * own client puts them for a {@code sqlite:} store, {@code ./mlruns/<experiment id>/<run id>/artifacts}
 * (here {@code mlruns/} beside the database), recorded as an absolute path. Experiments an MLflow server
 * created say {@code mlflow-artifacts:/<experiment id>}; {@code mlflow server} run beside the database
 * keeps those files under {@code ./mlartifacts/}, and so does CineLab.
 */
final class ArtifactLocations {
    /** The artifact root MLflow's client uses for a database store: {@code ./mlruns}. */
    static final String CLIENT_ROOT = "mlruns";
    /** Where {@code mlflow server} keeps {@code mlflow-artifacts:} files by default: {@code ./mlartifacts}. */
    static final String SERVER_DESTINATION = "mlartifacts";

    private static final String PROXY_SCHEME = "mlflow-artifacts:";
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");

    private ArtifactLocations() {}

    /** The artifact location of a new experiment, spelled as MLflow spells local paths ({@code /abs/mlruns/3}). */
    static String newExperimentLocation(Path databaseDir, String experimentId) {
        return localUri(databaseDir.resolve(CLIENT_ROOT).resolve(experimentId));
    }

    /** MLflow's {@code append_to_uri_path}: {@code base/part/part}, without doubled slashes. */
    static String append(String base, String... parts) {
        StringBuilder uri = new StringBuilder(base.replaceAll("/+$", ""));
        for (String part : parts) uri.append('/').append(part.replaceAll("^/+|/+$", ""));
        return uri.toString();
    }

    /**
     * The local directory an artifact location names: a path, a {@code file:} URI, or a
     * {@code mlflow-artifacts:} URI (under {@code mlartifacts/} beside the database); empty for
     * remote locations ({@code s3:}, {@code gs:}, ...) CineLab cannot write to.
     */
    static Optional<Path> localDirectory(String location, Path databaseDir) {
        if (location == null || location.isBlank()) return Optional.empty();
        String scheme = schemeOf(location);
        if (scheme == null) return Optional.of(databaseDir.resolve(location).toAbsolutePath().normalize());
        if (location.regionMatches(true, 0, PROXY_SCHEME, 0, PROXY_SCHEME.length())) {
            String rest = location.substring(PROXY_SCHEME.length());
            if (rest.startsWith("//")) {
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
            Path dir = databaseDir.resolve(SERVER_DESTINATION);
            for (String part : rest.split("/")) {
                if (part.isEmpty() || part.equals(".")) continue;
                if (part.equals("..")) return Optional.empty();
                dir = dir.resolve(part);
            }
            return Optional.of(dir.normalize());
        }
        if (scheme.equals("file")) {
            try {
                return FileUris.localPath(location);
            } catch (IllegalArgumentException remoteHost) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Python's {@code Path.as_posix()} on POSIX; a {@code file:///C:/...} URI for a Windows drive path. */
    private static String localUri(Path path) {
        String p = path.toAbsolutePath().normalize().toString().replace('\\', '/');
        return p.startsWith("/") ? p : "file:///" + p;
    }

    private static String schemeOf(String location) {
        Matcher m = SCHEME.matcher(location);
        if (!m.find() || m.group(1).length() == 1) return null;
        return m.group(1).toLowerCase(Locale.ROOT);
    }
}
