package org.cinelab.io;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A folder of small files that must survive a crash (trial state, checkpoints), on a local disk,
 * shared storage or a cluster file system. Every write replaces a file whole: a reader, or a run
 * resumed after a kill, sees the old content or the new, never a mix. Keys are relative POSIX paths
 * such as {@code trials/t07/state.json}; folders exist implicitly.
 */
public interface StateStorage {

    /** The file's content, or empty when there is no such file. */
    Optional<byte[]> read(String key) throws IOException;

    /** Replaces (or creates) the file atomically with what {@code writer} writes; if the writer fails, the old content stays. */
    void write(String key, AtomicFiles.StreamWriter writer) throws IOException;

    /** Replaces (or creates) the file atomically with {@code content}. */
    default void write(String key, byte[] content) throws IOException {
        write(key, out -> out.write(content));
    }

    /**
     * Names of the files and folders directly inside folder {@code dir} ({@code ""} for the root),
     * sorted; empty when the folder does not exist. Names starting with a dot (temporary files,
     * checksum side files) are left out.
     */
    List<String> list(String dir) throws IOException;

    /** Deletes a file, or a folder with everything in it; false when nothing was there. */
    boolean delete(String key) throws IOException;

    /** Where the storage is, for messages: a path or URI. */
    String describe();

    /**
     * The key checked: relative, '/'-separated, no empty, '.' or '..' segment.
     *
     * @throws IllegalArgumentException naming the key and what a valid one looks like
     */
    static String checkKey(String key, boolean rootAllowed) {
        if (key == null) throw new IllegalArgumentException("state key is missing");
        if (key.isEmpty() && rootAllowed) return key;
        boolean bad = key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("\\");
        if (!bad) {
            for (String segment : key.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) bad = true;
            }
        }
        if (bad) {
            throw new IllegalArgumentException("invalid state key '" + key + "': expected a relative path of names separated by '/', "
                    + "like trials/t07/state.json");
        }
        return key;
    }
}
