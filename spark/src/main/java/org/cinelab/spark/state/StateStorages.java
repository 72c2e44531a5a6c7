package org.cinelab.spark.state;

import org.apache.hadoop.conf.Configuration;
import org.cinelab.io.LocalStateStorage;
import org.cinelab.io.StateStorage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Opens {@code --state-dir}: a plain path or {@code file:} URI as a {@link LocalStateStorage}
 * (java.nio, which needs no Hadoop), any other scheme ({@code hdfs://}, {@code s3a://}, ...) as a
 * {@link HadoopStateStorage}.
 */
public final class StateStorages {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");

    private StateStorages() {}

    public static StateStorage open(String location, Configuration hadoopConf) throws IOException {
        String scheme = schemeOf(location);
        if (scheme == null) return new LocalStateStorage(Path.of(location));
        URI uri = parse(location);
        if (scheme.equals("file")) {
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                throw new IllegalArgumentException("state dir '" + location + "' names the host '" + uri.getAuthority()
                        + "'; a file: state dir is a path every machine mounts, like file:///shared/cinelab-state");
            }
            return new LocalStateStorage(Path.of(uri.getPath()));
        }
        return HadoopStateStorage.open(uri, hadoopConf);
    }

    /** True when every machine of a cluster sees the same storage without a shared mount: hdfs://, s3a://, ... */
    public static boolean isClusterFileSystem(String location) {
        String scheme = schemeOf(location);
        return scheme != null && !scheme.equals("file");
    }

    private static URI parse(String location) {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("state dir '" + location + "' is not a valid URI (" + e.getReason()
                    + "); expected a path, file:///abs/dir, hdfs://namenode/dir or s3a://bucket/dir");
        }
    }

    /** Lower-case scheme, or null for a plain path (a Windows drive letter is no scheme). */
    static String schemeOf(String location) {
        var m = SCHEME.matcher(location);
        if (!m.find() || m.group(1).length() == 1) return null;
        return m.group(1).toLowerCase(Locale.ROOT);
    }
}
