package org.cinelab.runner;

import org.cinelab.space.Domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end-of-run table of trials sorted by the objective, as text and as CSV. */
final class SummaryTable {
    private SummaryTable() {}

    /**
     * The trials ranked by the objective, one column per searched hyperparameter with its value in
     * full (as the run's params hold it), and the best trial's test metrics.
     */
    static String text(ExperimentResult result, String metric) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        for (var r : result.trials()) names.addAll(r.values().keySet());
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("rank", "trial", "status", "epochs", "val_" + metric));
        header.addAll(names);
        header.add("note");
        rows.add(header.toArray(String[]::new));
        int rank = 1;
        for (var r : result.trials()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(rank++), r.trialId(), r.status().toString(),
                    Integer.toString(r.epochs()), Double.isNaN(r.objective()) ? "nan" : String.format(Locale.ROOT, "%.6g", r.objective())));
            for (String n : names) row.add(r.values().containsKey(n) ? Domain.format(r.values().get(n)) : "-");
            row.add(r.note() == null ? "" : r.note());
            rows.add(row.toArray(String[]::new));
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nTrials by val_%s (%d):%n", metric, result.trials().size()));
        int columns = header.size();
        int[] widths = new int[columns];
        for (String[] row : rows) for (int c = 0; c < columns - 1; c++) widths[c] = Math.max(widths[c], row[c].length());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                line.append(' ');
                line.append(c == columns - 1 ? row[c] : pad(row[c], widths[c], c == 0 || c == 3 || c == 4));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
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

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
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
