package org.cinelab.io;

import java.nio.file.FileSystemException;
import java.util.regex.Pattern;

/**
 * Turns any failure into words for the user: what happened and to which file, never a Java class
 * name. File-system exceptions (anywhere in the cause chain) are told by {@link IoErrors}; wrappers
 * that repeat their cause as {@code java.io.IOException: ...} lose the class names; a failure
 * without a message still says something. Stack traces stay behind {@code CINELAB_DEBUG}.
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

    /** File-system failures in {@link IoErrors}' words ("path: no space left on device"). */
    private static String fileProblem(Throwable t) {
        return t instanceof FileSystemException f ? IoErrors.describe(f) : null;
    }
}
