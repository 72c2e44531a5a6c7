package org.cinelab.report;

import org.cinelab.report.ReportDefinition.Direction;
import org.cinelab.report.ReportDefinition.Metric;
import org.cinelab.report.ReportDefinition.Row;
import org.cinelab.report.StudyReport.Cell;
import org.cinelab.report.StudyReport.PlotResult;
import org.cinelab.report.StudyReport.RowResult;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Markdown page of a study report: the table, how to regenerate each row, the figures. */
final class ReportMarkdown {
    static final String NOT_RUN = "not run yet";

    private ReportMarkdown() {}

    static String render(ReportDefinition def, List<RowResult> rows, List<PlotResult> plots) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(def.title()).append("\n\n");
        if (def.intro() != null && !def.intro().isBlank()) md.append(def.intro().strip()).append("\n\n");
        md.append("| Model | Metric | Paper | Ours (mean ± sd) | Seeds | Ours − paper | Protocol and notes |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (RowResult r : rows) {
            for (int i = 0; i < r.cells().size(); i++) md.append(tableLine(r, r.cells().get(i), i == 0)).append('\n');
        }
        md.append("\nOurs: for each seed, the latest FINISHED parent run of the experiment tagged `cinelab.seed` = that seed; ")
                .append("the metric's last logged value on that run (or on the child run named in the metric); ")
                .append("mean ± sample standard deviation (n − 1) over the seeds that have run. ")
                .append("↓ lower is better, ↑ higher is better. ⚠ marks a published number we do not take at face value.\n");

        md.append("\n## Regenerating the rows\n\n");
        md.append("Run from the repository root (add `--tracking-uri URI` to both commands to use another store), then `./cinelab report ")
                .append(def.name()).append("`.\n\n");
        md.append("| Model | Command | Parent runs (seed: run id) |\n|---|---|---|\n");
        for (RowResult r : rows) {
            String runs = r.parentRunIds().isEmpty() ? NOT_RUN : r.parentRunIds().entrySet().stream()
                    .map(e -> e.getKey() + ": `" + e.getValue() + "`").collect(Collectors.joining(", "));
            md.append("| ").append(cell(r.row().label())).append(" | `").append(r.row().command()).append("` | ").append(runs).append(" |\n");
        }

        if (!plots.isEmpty()) md.append("\n## Figures\n");
        for (PlotResult p : plots) {
            md.append("\n### ").append(p.plot().title()).append("\n\n");
            if (p.plot().kind() == ReportDefinition.PlotKind.BEST_VS_EPOCHS) {
                md.append(searchFigure(def, p));
                continue;
            }
            if (p.empty()) {
                md.append(NOT_RUN).append(": `for N in ")
                        .append(def.seeds().stream().map(String::valueOf).collect(Collectors.joining(" ")))
                        .append("; do ./cinelab run ").append(p.plot().spec()).append(" --seed $N; done`\n");
            } else {
                md.append("![").append(p.plot().title()).append("](").append(p.plot().file()).append(")\n\n")
                        .append("`").append(p.plot().y()).append("` of every finished trial (child run) against its `")
                        .append(p.plot().x()).append("`, one series per seed (").append(p.plot().experiment())
                        .append(", seeds ").append(p.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                        .append(").\n");
            }
        }
        if (def.notes() != null && !def.notes().isBlank()) md.append("\n## Notes\n\n").append(def.notes().strip()).append('\n');
        return md.toString();
    }

    /** A best_vs_epochs figure: the image (when any search has run), what it shows, and the command of each search not run. */
    private static String searchFigure(ReportDefinition def, PlotResult p) {
        ReportDefinition.Plot plot = p.plot();
        int seed = plot.seed() != null ? plot.seed() : def.seeds().get(0);
        StringBuilder md = new StringBuilder();
        if (!p.empty()) {
            md.append("![").append(plot.title()).append("](").append(plot.file()).append(")\n\n");
        }
        md.append("Best validation ").append(plot.objective() == null ? "objective" : "`val_" + plot.objective() + "`")
                .append(" so far against the epochs trained so far over all trials (each logged validation point is one epoch, ")
                .append("in the order they were logged), seed ").append(seed).append(":\n\n");
        for (ReportDefinition.Search search : plot.searches()) {
            double[][] curve = p.series().getOrDefault(search.label(), new double[0][]);
            md.append("- ").append(search.label()).append(" (").append(search.experiment()).append("): ");
            if (curve.length == 0) {
                md.append(NOT_RUN).append(": `./cinelab run ").append(search.spec()).append(" --seed ").append(seed)
                        .append(search.args() == null || search.args().isBlank() ? "" : " " + search.args().strip()).append("`\n");
            } else {
                double[] last = curve[curve.length - 1];
                md.append((long) last[0]).append(" epochs, best ").append(fixed(last[1], 4)).append('\n');
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
            ours = r.notRun() ? NOT_RUN : "no value logged";
            diff = "—";
        } else {
            ours = fixed(c.mean(), m.digits()) + (c.n() > 1 ? " ± " + fixed(c.sd(), m.digits()) : "");
            diff = Double.isNaN(c.difference()) ? "—" : signed(c.difference(), m.digits()) + verdict(c.difference(), m.direction());
        }
        int expected = row.seeds().size();
        String seeds = c.n() + "/" + expected;
        if (c.n() > 0 && c.n() < expected) {
            seeds += " (missing " + row.seeds().stream().filter(s -> !c.values().containsKey(s)).map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ")";
        }
        StringBuilder notes = new StringBuilder();
        if (firstOfRow && row.flag() != null && !row.flag().isBlank()) notes.append("⚠ **Flagged:** ").append(row.flag().strip());
        if (firstOfRow && row.protocol() != null && !row.protocol().isBlank()) {
            if (notes.length() > 0) notes.append(' ');
            notes.append(row.protocol().strip());
        }
        if (firstOfRow && r.notRun()) {
            if (notes.length() > 0) notes.append(' ');
            notes.append("Run: `").append(row.command()).append("`");
        }
        String paper = c.paper() == null ? "—" : plain(c.paper());
        String metricName = cell(m.label()) + (m.label().equals(m.metric()) ? "" : " (`" + m.metric() + "`)") + arrow;
        if (!m.where().isEmpty()) {
            metricName += ", child run with " + m.where().entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                    .collect(Collectors.joining(", "));
        }
        String label = (row.flag() != null && !row.flag().isBlank() ? "⚠ " : "") + cell(row.label());
        return "| " + label + " | " + metricName + " | " + paper + " | " + ours + " | " + seeds + " | " + diff + " | " + cell(notes.toString()) + " |";
    }

    private static String verdict(double diff, Direction direction) {
        if (diff == 0) return " (equal)";
        boolean better = direction == Direction.LOWER ? diff < 0 : diff > 0;
        return better ? " (better)" : " (worse)";
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
