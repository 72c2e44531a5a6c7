package org.cinelab.tracking;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** File URIs spelled as MLflow spells them (Python's {@code pathlib.Path.as_uri()}): {@code file:///abs/path}. */
public final class FileUris {
    private FileUris() {}

    public static String of(Path path) {
        String p = path.toAbsolutePath().normalize().toString().replace('\\', '/');
        StringBuilder uri = new StringBuilder("file://");
        if (p.matches("[A-Za-z]:/.*")) {
            uri.append('/').append(p, 0, 2);
            p = p.substring(2);
        }
        for (byte b : p.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '_' || c == '.' || c == '-' || c == '~';
            if (safe) uri.append((char) c);
            else uri.append('%').append(String.format("%02X", c));
        }
        return uri.toString();
    }

    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");

    /** Lower-case scheme of a URI, or null for a plain path (Windows drive letters included). */
    public static String scheme(String uri) {
        java.util.regex.Matcher m = SCHEME.matcher(uri);
        if (!m.find() || m.group(1).length() == 1) return null;
        return m.group(1).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The local directory a path or {@code file:} URI names ({@code file:/abs}, {@code file:///abs},
     * {@code file://localhost/abs}, {@code file:relative}), absolute; empty for any other scheme.
     *
     * @throws UnsupportedTrackingUriException for a file: URI naming another host
     */
    public static java.util.Optional<Path> localPath(String uri) {
        String scheme = scheme(uri);
        if (scheme == null) return java.util.Optional.of(Path.of(uri).toAbsolutePath().normalize());
        if (!scheme.equals("file")) return java.util.Optional.empty();
        return java.util.Optional.of(Path.of(filePath(uri)).toAbsolutePath().normalize());
    }

    private static String filePath(String uri) {
        try {
            java.net.URI parsed = new java.net.URI(uri);
            String host = parsed.getHost() != null ? parsed.getHost() : parsed.getAuthority();
            if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new UnsupportedTrackingUriException(uri, "tracking URI '" + uri + "' names the remote host '"
                        + host + "'; file: URIs must point to this machine, like file:///abs/mlruns");
            }
            String path = parsed.isOpaque() ? parsed.getSchemeSpecificPart() : parsed.getPath();
            return requireNonEmpty(uri, path);
        } catch (java.net.URISyntaxException e) {
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
}
