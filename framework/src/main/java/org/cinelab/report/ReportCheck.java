package org.cinelab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cinelab report --check}: recomputes a committed study page from its committed run ledger alone
 * (no tracking store) and compares it with the committed Markdown cell by cell: any difference names the
 * table, the row, the column and both values. Also fails when a figure and the table disagree on a value
 * they both show, and warns (without failing) about runs made from a spec file that has changed since, runs
 * made with uncommitted changes, and rows whose runs are not available.
 */
public final class ReportCheck {

    /** One disagreement between the committed page and the recomputed one. */
    public record Difference(String where, String committed, String recomputed) {
        @Override
        public String toString() { return where + ": committed '" + committed + "', recomputed '" + recomputed + "'"; }
    }

    /**
     * @param cells         table cells compared that hold one of our numbers
     * @param notCheckable  rows and figures with no runs to recompute from, and why
     */
    public record Outcome(ReportDefinition definition, Path markdown, Path ledger, int runs, int cells, List<Difference> differences,
                          List<StudyReport.Agreement> disagreements, List<String> warnings, List<String> notCheckable) {
        public boolean passed() { return differences.isEmpty() && disagreements.isEmpty(); }
    }

    private ReportCheck() {}

    public static Outcome check(ReportDefinition def, Path outDir) throws IOException {
        Path md = outDir.resolve(def.name() + ".md");
        Path ledgerFile = RunLedger.fileFor(outDir, def.name());
        List<Difference> differences = new ArrayList<>();
        if (!Files.isRegularFile(ledgerFile)) differences.add(new Difference(ledgerFile.toString(), "missing", "a run ledger to recompute from"));
        RunLedger ledger = RunLedger.read(ledgerFile);
        StudyReport.Computed c = StudyReport.compute(def, ledger);
        String recomputed = ReportMarkdown.render(c);
        int cells = 0;
        if (!Files.isRegularFile(md)) {
            differences.add(new Difference(md.toString(), "missing", "the page"));
        } else {
            cells = compare(md.toString(), Files.readString(md, StandardCharsets.UTF_8), recomputed, differences);
        }
        List<String> warnings = new ArrayList<>();
        List<String> notCheckable = new ArrayList<>();
        for (StudyReport.RowResult r : c.rows()) {
            if (r.runsUnavailable()) notCheckable.add("row '" + r.row().label() + "': runs not available (" + r.unavailable().reason() + ")");
            else if (r.notRun()) notCheckable.add("row '" + r.row().label() + "': not run yet");
            specChanges(r, warnings);
            r.parents().forEach((seed, p) -> {
                if (Boolean.TRUE.equals(p.dirty())) {
                    warnings.add("row '" + r.row().label() + "' seed " + seed + ": run " + p.runId() + " was made with uncommitted changes at "
                            + ReportMarkdown.shortHash(p.commit()));
                }
            });
        }
        for (StudyReport.PlotResult p : c.plots()) {
            if (p.empty()) notCheckable.add("figure " + p.plot().file() + ": " + (p.unavailable() != null ? "runs not available" : "not run yet"));
        }
        return new Outcome(def, md, ledgerFile, ledger.runs().size(), cells, differences, c.disagreements(), warnings, notCheckable);
    }

    /** Warns when the row's spec file no longer has the SHA-256 its runs were made from. */
    private static void specChanges(StudyReport.RowResult r, List<String> warnings) {
        Path spec = Path.of(r.row().spec());
        if (r.parents().isEmpty() || !Files.isRegularFile(spec)) return;
        String now;
        try {
            now = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(spec)));
        } catch (IOException | NoSuchAlgorithmException e) {
            return;
        }
        for (Map.Entry<Integer, LedgerRun> e : r.parents().entrySet()) {
            String then = e.getValue().specSha256();
            if (then != null && !then.equals(now)) {
                warnings.add("row '" + r.row().label() + "' seed " + e.getKey() + ": " + spec + " now has SHA-256 " + ReportMarkdown.shortHash(now)
                        + ", its run used " + ReportMarkdown.shortHash(then) + " (the spec changed since: regenerate the row)");
            }
        }
    }

    /**
     * Compares the study table cell by cell (rows keyed by model and metric) and the rest of the page line
     * by line; returns how many of our-number cells were compared.
     */
    static int compare(String file, String committed, String recomputed, List<Difference> out) {
        Table a = Table.parse(committed);
        Table b = Table.parse(recomputed);
        int cells = 0;
        if (!a.header.equals(b.header)) {
            out.add(new Difference(file + ": table header", String.join(" | ", a.header), String.join(" | ", b.header)));
        } else {
            for (Map.Entry<String, List<String>> row : b.rows.entrySet()) {
                List<String> old = a.rows.get(row.getKey());
                if (old == null) {
                    out.add(new Difference(file + ": table row " + row.getKey(), "absent", String.join(" | ", row.getValue())));
                    continue;
                }
                for (int i = 0; i < b.header.size(); i++) {
                    String was = i < old.size() ? old.get(i) : "";
                    String now = row.getValue().get(i);
                    if (b.header.get(i).startsWith("Ours (") && hasNumber(now)) cells++;
                    if (!was.equals(now)) out.add(new Difference(file + ": table row " + row.getKey() + ", column '" + b.header.get(i) + "'", was, now));
                }
            }
            for (String key : a.rows.keySet()) {
                if (!b.rows.containsKey(key)) out.add(new Difference(file + ": table row " + key, String.join(" | ", a.rows.get(key)), "absent"));
            }
        }
        List<String> restA = a.rest;
        List<String> restB = b.rest;
        int shown = 0;
        for (int i = 0; i < Math.max(restA.size(), restB.size()) && shown < 10; i++) {
            String was = i < restA.size() ? restA.get(i) : "(end of page)";
            String now = i < restB.size() ? restB.get(i) : "(end of page)";
            if (!was.equals(now)) {
                out.add(new Difference(file + ": line " + (i < restA.size() ? a.lineNumbers.get(i) : "end") + " (outside the table)", was, now));
                shown++;
            }
        }
        return cells;
    }

    private static boolean hasNumber(String cell) {
        return !cell.equals(ReportMarkdown.NOT_RUN) && !cell.equals(ReportMarkdown.UNAVAILABLE) && !cell.equals("no value logged");
    }

    /** The page's study table (the first table headed "| Model | Metric |"), and every other line with its number. */
    private static final class Table {
        List<String> header = List.of();
        final Map<String, List<String>> rows = new LinkedHashMap<>();
        final List<String> rest = new ArrayList<>();
        final List<Integer> lineNumbers = new ArrayList<>();

        static Table parse(String page) {
            Table t = new Table();
            String[] lines = page.split("\n", -1);
            int i = 0;
            boolean seen = false;
            while (i < lines.length) {
                String line = lines[i];
                if (!seen && line.startsWith("| Model | Metric |")) {
                    seen = true;
                    t.header = cells(line);
                    i += 2; // header and rule
                    Map<String, Integer> occurrences = new LinkedHashMap<>();
                    while (i < lines.length && lines[i].startsWith("|")) {
                        List<String> cells = cells(lines[i]);
                        String base = "'" + (cells.isEmpty() ? "" : cells.get(0)) + "' / '" + (cells.size() > 1 ? cells.get(1) : "") + "'";
                        int n = occurrences.merge(base, 1, Integer::sum);
                        t.rows.put(n == 1 ? base : base + " #" + n, cells);
                        i++;
                    }
                    continue;
                }
                t.rest.add(line);
                t.lineNumbers.add(i + 1);
                i++;
            }
            return t;
        }

        /** The cells of a Markdown table line; {@code \|} stays inside a cell. */
        static List<String> cells(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            String body = line.strip();
            if (body.startsWith("|")) body = body.substring(1);
            if (body.endsWith("|") && !body.endsWith("\\|")) body = body.substring(0, body.length() - 1);
            for (int i = 0; i < body.length(); i++) {
                char ch = body.charAt(i);
                if (ch == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
                    cell.append("\\|");
                    i++;
                } else if (ch == '|') {
                    out.add(cell.toString().strip());
                    cell.setLength(0);
                } else {
                    cell.append(ch);
                }
            }
            out.add(cell.toString().strip());
            return out;
        }
    }
}
