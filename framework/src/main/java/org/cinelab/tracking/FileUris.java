package org.cinelab.tracking;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** File URIs spelled as MLflow spells them (Python's {@code pathlib.Path.as_uri()}): {@code file:///abs/path}. */
final class FileUris {
    private FileUris() {}

    static String of(Path path) {
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
}
