package org.cinelab.report;

import org.cinelab.report.ReportDefinition.Direction;
import org.cinelab.search.Objective;
import org.cinelab.report.ReportDefinition.Metric;
import org.cinelab.report.ReportDefinition.Row;
import org.cinelab.report.StudyReport.Cell;
import org.cinelab.report.StudyReport.PlotResult;
import org.cinelab.report.StudyReport.RowResult;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The Markdown page of a study report: the table, how to regenerate each row, the figures. */
final class ReportMarkdown {
    static final String NOT_RUN = "not run yet";
    static final String UNAVAILABLE = "runs not available";
    static final List<String> COLUMNS = List.of("Model", "Metric", "Paper", "Reference", "Ours (mean ± sd)", "Seeds", "Ours − paper",
            "Runs: spec @ commit", "Protocol and notes");

    private ReportMarkdown() {}

    static String render(StudyReport.Computed c) {
        ReportDefinition def = c.definition();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(def.title()).append("\n\n");
        if (def.intro() != null && !def.intro().isBlank()) md.append(def.intro().strip()).append("\n\n");
        md.append(COLUMNS.stream().collect(Collectors.joining(" | ", "| ", " |\n")));
        md.append(COLUMNS.stream().map(x -> "---").collect(Collectors.joining("|", "|", "|\n")));
        for (RowResult r : c.rows()) {
            for (int i = 0; i < r.cells().size(); i++) md.append(tableLine(r, r.cells().get(i), i == 0)).append('\n');
        }
        md.append("\nOurs: for each seed, the run recorded in [`runs/").append(def.name()).append(".jsonl`](runs/").append(def.name())
                .append(".jsonl) (when `cinelab report` read the store: the latest FINISHED parent run of the experiment tagged ")
                .append("`cinelab.seed` = that seed); the metric's last logged value on that run (or on the child run named in the metric); ")
                .append("mean ± sample standard deviation (n − 1) over the seeds that have run. Paper: the study's own published number; ")
                .append("Reference: a number from elsewhere (a re-run of ours, a tutorial, a quality bar), never counted as the study's. ")
                .append("Runs: the first 7 hex digits of the spec file's SHA-256 and of the git commit the runs were made at ")
                .append("(⚠ when the seeds' runs differ). `./cinelab report --check ").append(def.name())
                .append("` recomputes this page from that file alone. ↓ lower is better, ↑ higher is better. ")
                .append("⚠ marks a published number we do not take at face value.\n");

        md.append("\n## Regenerating the rows\n\n");
        md.append("Run from the repository root (add `--tracking-uri URI` to both commands to use another store), then `./cinelab report ")
                .append(def.name()).append("`.\n\n");
        md.append("| Model | Command | Parent runs (seed: run id) |\n|---|---|---|\n");
        for (RowResult r : c.rows()) {
            String runs;
            if (r.runsUnavailable()) {
                runs = UNAVAILABLE + (r.unavailable().earlierRuns().isEmpty() ? "" : " (an earlier table named " + r.unavailable().earlierRuns()
                        .entrySet().stream().map(e -> e.getKey() + ": `" + e.getValue() + "`").collect(Collectors.joining(", ")) + ")");
            } else {
                runs = r.parentRunIds().isEmpty() ? NOT_RUN : r.parentRunIds().entrySet().stream()
                        .map(e -> e.getKey() + ": `" + e.getValue() + "`").collect(Collectors.joining(", "));
            }
            md.append("| ").append(cell(r.row().label())).append(" | `").append(r.row().command()).append("` | ").append(runs).append(" |\n");
        }

        if (!c.plots().isEmpty()) md.append("\n## Figures\n");
        for (PlotResult p : c.plots()) {
            md.append("\n### ").append(p.plot().title()).append("\n\n");
            if (p.plot().kind() == ReportDefinition.PlotKind.BEST_VS_EPOCHS) {
                md.append(searchFigure(def, p));
                continue;
            }
            String command = "`" + p.plot().command(def.seeds()) + "`";
            if (p.empty()) {
                md.append(p.unavailable() != null ? unavailableText(p.unavailable(), command) : NOT_RUN + ": " + command).append('\n');
            } else {
                md.append("![").append(p.plot().title()).append("](").append(p.plot().file()).append(")\n\n")
                        .append("`").append(p.plot().y()).append("` of every finished trial (child run) against its `")
                        .append(p.plot().x()).append("`, one series per seed (").append(p.plot().experiment())
                        .append(", seeds ").append(p.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                        .append("). ").append(pointsSummary(p)).append('\n');
            }
        }
        if (def.notes() != null && !def.notes().isBlank()) md.append("\n## Notes\n\n").append(def.notes().strip()).append('\n');
        return md.toString();
    }

    /** How many points, their range, and the marked (reported) trial of each seed. */
    private static String pointsSummary(PlotResult p) {
        int n = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[][] s : p.series().values()) {
            for (double[] pt : s) {
                n++;
                min = Math.min(min, pt[1]);
                max = Math.max(max, pt[1]);
            }
        }
        StringBuilder sb = new StringBuilder().append(n).append(" points, `").append(p.plot().y()).append("` from ")
                .append(fixed(min, 4)).append(" to ").append(fixed(max, 4)).append('.');
        if (!p.marked().isEmpty()) {
            sb.append(" Marked: the trial each execution reports (best by validation; its `best_").append(p.plot().y()).append("`): ");
            sb.append(p.marked().entrySet().stream().map(e -> e.getKey().replace(": the reported trial", "") + " "
                    + p.plot().x() + " = " + compact(e.getValue()[0][0]) + ", " + fixed(e.getValue()[0][1], 4)).collect(Collectors.joining("; ")));
            sb.append('.');
        }
        return sb.toString();
    }

    private static String unavailableText(UnavailableRuns u, String command) {
        return "⚠ " + UNAVAILABLE + ": " + u.reason() + (u.earlierTable() == null ? "" : " (an earlier version: " + u.earlierTable() + ")")
                + ". Regenerate: " + command;
    }

    /** A best_vs_epochs figure: the image (when any search has run), what it shows, and the command of each search not run. */
    private static String searchFigure(ReportDefinition def, PlotResult p) {
        ReportDefinition.Plot plot = p.plot();
        int seed = plot.seed() != null ? plot.seed() : def.seeds().get(0);
        StringBuilder md = new StringBuilder();
        if (!p.empty()) {
            md.append("![").append(plot.title()).append("](").append(plot.file()).append(")\n\n");
        } else if (p.unavailable() != null) {
            md.append("⚠ ").append(UNAVAILABLE).append(": ").append(p.unavailable().reason())
                    .append(p.unavailable().earlierTable() == null ? "" : " (an earlier version: " + p.unavailable().earlierTable() + ")")
                    .append(".\n\n");
        }
        String objective = plot.objective() == null ? "objective" : "`val_" + plot.objective() + "`";
        md.append("Validation ").append(objective).append(" of the best trial so far, as the search counts it (each trial at its latest ")
                .append("epoch, or at its best when it stops early), against the epochs trained so far over all trials (each logged ")
                .append("validation point is one epoch, in the order they were logged), seed ").append(seed)
                .append(". The curve ends at the parent run's `best_val_*`, the table's value:\n\n");
        Map<String, StudyReport.Agreement> byLabel = new LinkedHashMap<>();
        for (StudyReport.Agreement a : p.agreements()) byLabel.put(a.what().substring(0, a.what().indexOf(':')), a);
        for (ReportDefinition.Search search : plot.searches()) {
            double[][] curve = p.series().getOrDefault(search.label(), new double[0][]);
            md.append("- ").append(search.label()).append(" (").append(search.experiment()).append("): ");
            if (curve.length == 0) {
                md.append(NOT_RUN).append(": `./cinelab run ").append(search.spec()).append(" --seed ").append(seed)
                        .append(search.args() == null || search.args().isBlank() ? "" : " " + search.args().strip()).append("`\n");
            } else {
                double[] last = curve[curve.length - 1];
                md.append((long) last[0]).append(" epochs, best ").append(fixed(last[1], 4));
                StudyReport.Agreement a = byLabel.get(search.label());
                if (a != null) md.append(a.holds() ? " (= the parent run's best_val)" : " ⚠ the parent run's best_val is " + fixed(a.tableValue(), 4));
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String tableLine(RowResult r, Cell c, boolean firstOfRow) {
        Row row = r.row();
        Metric m = c.metric();
        String arrow = m.direction() == Direction.LOWER ? " ↓" : " ↑";
        String ours;
        String diff;
        if (c.n() == 0) {
            ours = r.runsUnavailable() ? UNAVAILABLE : r.notRun() ? NOT_RUN : "no value logged";
            diff = "—";
        } else {
            ours = fixed(c.mean(), m.digits()) + (c.n() > 1 ? " ± " + fixed(c.sd(), m.digits()) : "");
            diff = Double.isNaN(c.difference()) ? "—" : signed(c.difference(), m.digits()) + verdict(c.difference(), m.direction());
        }
        int expected = row.seeds().size();
        String seeds = r.runsUnavailable() ? "—" : c.n() + "/" + expected;
        if (c.n() > 0 && c.n() < expected) {
            seeds += " (missing " + row.seeds().stream().filter(s -> !c.values().containsKey(s)).map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ")";
        }
        StringBuilder notes = new StringBuilder();
        if (firstOfRow) {
            if (row.flag() != null && !row.flag().isBlank()) append(notes, "⚠ **Flagged:** " + row.flag().strip());
            if (!r.dataNote().isEmpty()) append(notes, r.dataNote());
            if (row.protocol() != null && !row.protocol().isBlank()) append(notes, row.protocol().strip());
            if (r.notRun()) append(notes, "Run: `" + row.command() + "`");
            if (r.runsUnavailable()) {
                append(notes, "⚠ Runs not available: " + r.unavailable().reason()
                        + (r.unavailable().earlierTable() == null ? "" : " (earlier numbers: " + r.unavailable().earlierTable() + ")")
                        + ". Regenerate: `" + row.command() + "`");
            }
        }
        String paper = c.paper() == null ? "—" : plain(c.paper());
        String reference = m.reference() == null ? "—" : plain(m.reference().value())
                + (m.reference().source() == null ? "" : " (" + m.reference().source().strip() + ")");
        String metricName = cell(m.label()) + (m.label().equals(m.metric()) ? "" : " (`" + m.metric() + "`)") + arrow;
        if (!m.where().isEmpty()) {
            metricName += ", child run with " + m.where().entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                    .collect(Collectors.joining(", "));
        }
        String label = (row.flag() != null && !row.flag().isBlank() ? "⚠ " : "") + cell(row.label());
        String runs = firstOfRow ? provenance(r) : "";
        return "| " + label + " | " + metricName + " | " + paper + " | " + cell(reference) + " | " + ours + " | " + seeds + " | " + diff
                + " | " + runs + " | " + cell(notes.toString()) + " |";
    }

    /**
     * {@code 3f2a1b0 @ 0bfaa79} when every seed's run has the same spec hash and commit; otherwise each
     * variant with its seeds, flagged. {@code +dirty} marks runs made with uncommitted changes.
     */
    static String provenance(RowResult r) {
        if (r.parents().isEmpty()) return "—";
        Map<String, List<Integer>> variants = new TreeMap<>();
        for (Map.Entry<Integer, LedgerRun> e : r.parents().entrySet()) {
            LedgerRun p = e.getValue();
            String v = shortHash(p.specSha256()) + " @ " + shortHash(p.commit()) + (Boolean.TRUE.equals(p.dirty()) ? "+dirty" : "");
            variants.computeIfAbsent(v, k -> new java.util.ArrayList<>()).add(e.getKey());
        }
        if (variants.size() == 1) return variants.keySet().iterator().next();
        return "⚠ mixed: " + variants.entrySet().stream()
                .map(e -> e.getKey() + " (seed" + (e.getValue().size() > 1 ? "s " : " ")
                        + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
    }

    static String shortHash(String h) { return h == null || h.isBlank() ? "?" : h.substring(0, Math.min(7, h.length())); }

    private static void append(StringBuilder notes, String s) {
        if (notes.length() > 0) notes.append(' ');
        notes.append(s);
    }

    private static String verdict(double diff, Direction direction) {
        if (diff == 0) return " (equal)";
        Objective ours = new Objective("difference", direction == Direction.LOWER ? Objective.Mode.MIN : Objective.Mode.MAX);
        return ours.isBetter(diff, 0) ? " (better)" : " (worse)";
    }

    /** A param value in four significant digits at most, without padding: 7, 0.003, 123500. */
    static String compact(double v) {
        if (!Double.isFinite(v)) return Double.toString(v); // BigDecimal takes finite values only
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String fixed(double v, int digits) { return String.format(Locale.ROOT, "%." + digits + "f", v); }

    static String signed(double v, int digits) {
        String s = fixed(Math.abs(v), digits);
        boolean zero = Double.parseDouble(s) == 0;
        return (zero ? "±" : v < 0 ? "−" : "+") + s;
    }

    /** The published number as written: 0.934, not 0.9340000000000001. */
    static String plain(double v) { return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(); }

    /** Text safe inside a table cell: no pipes or line breaks. */
    static String cell(String s) { return s.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ").strip(); }

}
