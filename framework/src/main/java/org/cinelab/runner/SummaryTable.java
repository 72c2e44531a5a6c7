package org.cinelab.runner;

import java.util.Locale;
import java.util.Map;

/** The end-of-run table of trials sorted by the objective, as text and as CSV. */
final class SummaryTable {
    private SummaryTable() {}

    static String text(ExperimentResult result, String metric) {
        StringBuilder sb = new StringBuilder();
        int nameWidth = Math.max(5, result.trials().stream().mapToInt(r -> r.runName().length()).max().orElse(5));
        nameWidth = Math.min(nameWidth, 60);
        sb.append(String.format(Locale.ROOT, "%nTrials by val_%s (%d):%n", metric, result.trials().size()));
        sb.append(String.format(Locale.ROOT, "  %-4s %-" + nameWidth + "s %-8s %6s %10s  %s%n", "rank", "trial", "status", "epochs", "val_" + metric, "note"));
        int rank = 1;
        for (var r : result.trials()) {
            String name = r.runName().length() > nameWidth ? r.runName().substring(0, nameWidth - 1) + "…" : r.runName();
            sb.append(String.format(Locale.ROOT, "  %-4d %-" + nameWidth + "s %-8s %6d %10.4f  %s%n", rank++, name, r.status(),
                    r.epochs(), r.objective(), r.note() == null ? "" : r.note()));
        }
        if (result.best() != null) {
            sb.append(String.format(Locale.ROOT, "%nBest trial %s (run %s): val_%s=%.4f", result.best().trialId(),
                    result.best().runId(), metric, result.best().objective()));
            for (Map.Entry<String, Double> e : result.best().test().entrySet()) {
                sb.append(String.format(Locale.ROOT, "  test_%s=%.4f", e.getKey(), e.getValue()));
            }
            sb.append('\n');
        } else {
            sb.append("\nNo trial finished with a finite objective.\n");
        }
        return sb.toString();
    }

    static String csv(ExperimentResult result, String metric) {
        StringBuilder sb = new StringBuilder("rank,trial_id,run_id,run_name,status,epochs,val_" + metric + ",test_metrics,note\n");
        int rank = 1;
        for (var r : result.trials()) {
            sb.append(rank++).append(',').append(r.trialId()).append(',').append(r.runId()).append(',')
                    .append(quote(r.runName())).append(',').append(r.status()).append(',').append(r.epochs()).append(',')
                    .append(r.objective()).append(',').append(quote(r.test().toString())).append(',')
                    .append(quote(r.note() == null ? "" : r.note())).append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
