package org.cinelab.data.catalog;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar redrawn in place with carriage returns (meant for stderr, so that
 * stdout stays clean for pipes). It redraws only when the shown percentage changes.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastShown = -1;

    ProgressBar(PrintStream out, String label, long totalOrMinusOne) {
        this.out = out;
        this.label = label;
        this.total = totalOrMinusOne;
    }

    void update(long done) {
        if (out == null) return;
        long step = total > 0 ? done * 100 / total : done >> 20;
        if (step == lastShown) return;
        lastShown = step;
        out.print("\r" + render(done));
        out.flush();
    }

    void finish(long done) {
        if (out == null) return;
        lastShown = -1;
        out.print("\r" + render(done) + System.lineSeparator());
        out.flush();
    }

    String render(long done) {
        if (total <= 0) return String.format(Locale.ROOT, "%-24s %s", label, megabytes(done));
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        return String.format(Locale.ROOT, "%-24s [%s%s] %3d%%  %s / %s", label, "#".repeat(filled), "-".repeat(WIDTH - filled),
                Math.min(100, done * 100 / total), megabytes(done), megabytes(total));
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
