package org.cinelab.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * Turns a failure into words for the user: what happened and to which file, never a Java class
 * name. File-system exceptions carry only a path as their message ({@code NoSuchFileException:
 * /x}), wrappers repeat their cause as {@code java.io.IOException: ...}; both read badly in a
 * summary table or an error line. Stack traces stay behind {@code CINELAB_DEBUG}.
 */
public final class UserMessages {
    /** {@code java.net.ConnectException: } and the like, anywhere in a message. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ?");

    private UserMessages() {}

    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String words = fileProblem(t);
            if (words != null) return words;
        }
        if (failure instanceof OutOfMemoryError) {
            return "out of memory: give Java more heap (e.g. CINELAB_JAVA_OPTS=-Xmx16g) or make the model or data smaller";
        }
        String message = messageOf(failure);
        if (message != null) return message;
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            message = messageOf(t);
            if (message != null) return message;
        }
        return "an unexpected internal error (set CINELAB_DEBUG=1 to see where)";
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        if (m == null) return null;
        m = CLASS_PREFIX.matcher(m).replaceAll("").trim();
        return m.isEmpty() ? null : m;
    }

    private static String fileProblem(Throwable t) {
        if (!(t instanceof FileSystemException f)) return null;
        String file = f.getFile();
        String other = f.getOtherFile() == null ? "" : " (and " + f.getOtherFile() + ")";
        if (t instanceof NoSuchFileException) return "no such file or folder: " + file + other;
        if (t instanceof AccessDeniedException) return "permission denied: " + file + other;
        if (t instanceof FileAlreadyExistsException) return "already exists: " + file + other;
        if (t instanceof DirectoryNotEmptyException) return "folder not empty: " + file;
        if (t instanceof NotDirectoryException) return "not a folder: " + file;
        return f.getReason() == null ? "cannot use " + file + other : file + other + ": " + f.getReason();
    }
}
