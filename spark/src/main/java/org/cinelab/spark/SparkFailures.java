package org.cinelab.spark;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spark's failure messages in words a user can act on. A failed job's exception carries the executor's
 * error only as text ("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent
 * failure: Lost task 0.3 ... (host executor 1): java.io.IOException: ..."); this keeps the attempts, the
 * executor and the reason, without Java class names.
 */
final class SparkFailures {
    private static final Pattern ATTEMPTS = Pattern.compile("failed (\\d+) times");
    private static final Pattern LAST = Pattern.compile("most recent failure: Lost task \\S+ in stage \\S+ \\(TID \\d+\\) \\(([^)]*)\\): (.*)");
    private static final Pattern CLASS_NAME = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?::\\s*|$)");

    private SparkFailures() {}

    /** The error a segment whose every attempt failed reports to the loop. */
    static IOException segmentFailed(String trialId, Throwable error) {
        String text = error.getMessage() == null ? "" : error.getMessage();
        StringBuilder sb = new StringBuilder("trial ").append(trialId).append(": its segment failed on the cluster");
        Matcher attempts = ATTEMPTS.matcher(text);
        if (attempts.find()) sb.append(" (").append(attempts.group(1)).append(" attempts, spark.task.maxFailures)");
        Matcher last = LAST.matcher(firstLine(text));
        if (last.find()) sb.append("; the last on ").append(last.group(1)).append(": ").append(words(last.group(2)));
        else sb.append(": ").append(words(error));
        sb.append(". Nothing of it is lost: continue with --resume once the cause is fixed");
        return new IOException(sb.toString(), error);
    }

    /** An exception's message without a leading Java class name, or its kind in words when it has none. */
    static String words(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return "an error without a message";
        return words(firstLine(m));
    }

    private static String words(String message) {
        String m = message.trim();
        for (int i = 0; i < 3; i++) m = CLASS_NAME.matcher(m).replaceFirst("").trim();
        return m.isEmpty() ? message.trim() : m;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
