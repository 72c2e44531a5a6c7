package org.cinelab.data.netflix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that does not match its format. The message reads
 * {@code FILE:LINE: PROBLEM: "TEXT"} so that a person can open the file at the offending line.
 */
public final class MalformedDataException extends IOException {
    private static final int MAX_SHOWN_CHARS = 200;

    private final transient Path file;
    private final long line;
    private final String problem;
    private final String text;

    public MalformedDataException(Path file, long line, String problem, String text) {
        super(describe(file, line, problem, text));
        this.file = file;
        this.line = line;
        this.problem = problem;
        this.text = text;
    }

    /** The {@code FILE:LINE: PROBLEM: "TEXT"} message, also used for lines skipped and counted. */
    public static String describe(Path file, long line, String problem, String text) {
        return file + ":" + line + ": " + problem + ": \"" + shown(text) + "\"";
    }

    public Path file() { return file; }

    /** 1-based physical line number. */
    public long line() { return line; }

    public String problem() { return problem; }

    public String text() { return text; }

    /** Quotes, backslashes and control characters escaped, long text cut: unambiguous, and a binary file cannot flood a log. */
    static String shown(String text) {
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(text.length(), MAX_SHOWN_CHARS);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02X", (int) c));
            else sb.append(c);
        }
        if (text.length() > limit) sb.append("...");
        return sb.toString();
    }
}
