package org.cinelab.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code --state-dir} as given: a local path or {@code file:} URI (the state, its lock and scratch
 * files in one folder), or a cluster file system's URI ({@code hdfs://}, {@code s3a://}), whose state
 * only an executor module can open. For those, the execution lock and the files made only to be
 * logged live in a driver-local folder named after the URI: an OS lock there is released by the OS
 * when the driver dies, so {@code --resume} after a SIGKILL takes over without a stale lock file on
 * the shared storage (where create-if-absent is not atomic on every object store, and a lock left by
 * a killed driver would need leases). It does not stop two drivers on two machines from sharing one
 * URI; docs/spark.md says so.
 *
 * @param location as given
 * @param local    the state folder itself, or for a remote location the driver-local folder
 * @param remote   a URI whose storage the framework cannot open itself
 */
record StateLocation(String location, Path local, boolean remote) {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");

    static StateLocation parse(String location) {
        String scheme = schemeOf(location);
        if (scheme == null) return new StateLocation(location, Path.of(location), false);
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new Main.BadInputException("--state-dir '" + location + "' is not a valid URI (" + e.getReason()
                    + "); expected a path, file:///abs/dir, hdfs://namenode/dir or s3a://bucket/dir");
        }
        if (scheme.equals("file")) {
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                throw new Main.BadInputException("--state-dir '" + location + "' names the host '" + uri.getAuthority()
                        + "'; a file: state dir is a path, like file:///shared/cinelab-state");
            }
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw new Main.BadInputException("--state-dir '" + location + "': a file: URI needs an absolute path, like file:///shared/cinelab-state");
            }
            return new StateLocation(location, Path.of(uri.getPath()), false);
        }
        return new StateLocation(location, driverFolder(uri), true);
    }

    /**
     * {@code .cinelab/driver/<last path element>-<12 hex digits of the SHA-256 of scheme://authority/path>}:
     * spellings of one location ({@code hdfs://nn/x/}, {@code HDFS://nn/x}) share it.
     */
    private static Path driverFolder(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+", "/").replaceAll("/$", "");
        String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        String key = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + path;
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(sha).substring(0, 12);
            return Path.of(".cinelab", "driver", (last.isEmpty() ? uri.getScheme() : last) + "-" + id);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Lower-case scheme, or null for a plain path (a Windows drive letter is no scheme). */
    private static String schemeOf(String location) {
        var m = SCHEME.matcher(location);
        if (!m.find() || m.group(1).length() == 1) return null;
        return m.group(1).toLowerCase(Locale.ROOT);
    }
}
