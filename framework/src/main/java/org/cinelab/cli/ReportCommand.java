package org.cinelab.cli;

import org.cinelab.report.ReportCheck;
import org.cinelab.report.ReportDefinition;
import org.cinelab.report.ReportDefinitionException;
import org.cinelab.report.StudyReport;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code cinelab report [NAME...]}: records the runs behind each study table in {@code results/runs/NAME.jsonl}
 * and regenerates the tables and figures from them; {@code --check} recomputes the committed tables from the
 * committed run files alone and fails on any difference.
 */
@Command(name = "report", description = {
        "Write study tables (ours vs the paper, mean ± sd over seeds) and the runs behind them (results/runs/NAME.jsonl) from the tracking store.",
        "--check: recompute the committed tables from results/runs/*.jsonl alone (no tracking store) and fail on any difference."})
final class ReportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Report definitions to run (file names in --reports without .yaml); default: all of them.")
    List<String> names = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow store to read: a directory, a file: URI, sqlite:///path.db or an http(s):// server (default: MLFLOW_TRACKING_URI, then ./mlruns).")
    String trackingUri;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Where the Markdown tables and figures go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "experiments/reports",
            description = "Where the report definitions are (default ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--check", description = "Recompute the tables in --out from their run files (results/runs/NAME.jsonl) only and "
            + "compare them with the committed pages; exit 1 on any difference.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        List<ReportDefinition> definitions = new ArrayList<>();
        try {
            for (Path file : definitionFiles()) definitions.add(ReportDefinition.load(file));
        } catch (ReportDefinitionException e) {
            throw new Main.BadInputException(e.getMessage());
        }
        if (check) return check(definitions, stdout);
        try (Tracker tracker = TrackerFactory.openForReading(trackingUri)) {
            stdout.printf("Reading %s%n", tracker.describe());
            for (ReportDefinition def : definitions) {
                StudyReport.Result result;
                try {
                    result = StudyReport.write(def, tracker, out, notice -> stdout.println("  " + notice));
                } catch (ReportDefinitionException e) {
                    throw new Main.BadInputException(e.getMessage());
                }
                List<StudyReport.RowResult> rows = result.computed().rows();
                long notRun = rows.stream().filter(StudyReport.RowResult::notRun).count();
                long gone = rows.stream().filter(StudyReport.RowResult::runsUnavailable).count();
                stdout.printf("Wrote %s and %s: %d row(s), %d not run yet, %d with runs not available%s%n", result.markdown(), result.ledger(),
                        rows.size(), notRun, gone, result.computed().plots().isEmpty() ? ""
                                : ", " + result.computed().plots().stream().filter(p -> !p.empty()).count() + " figure(s)");
                for (StudyReport.RowResult r : rows) {
                    if (r.notRun() || r.runsUnavailable()) {
                        stdout.printf("  %s: %s%n    %s%n", r.notRun() ? "not run yet" : "runs not available", r.row().label(), r.row().command());
                    }
                }
                for (StudyReport.Agreement a : result.computed().disagreements()) {
                    stdout.printf("  ⚠ figure %s disagrees with the table: %s: figure %s, table %s%n", a.figure(), a.what(), a.figureValue(), a.tableValue());
                }
            }
        }
        stdout.flush();
        return 0;
    }

    /** Exit 0 when every page equals its recomputation and its figures agree with its table, else 1. */
    private int check(List<ReportDefinition> definitions, PrintWriter stdout) throws java.io.IOException {
        boolean ok = true;
        for (ReportDefinition def : definitions) {
            ReportCheck.Outcome o;
            try {
                o = ReportCheck.check(def, out);
            } catch (ReportDefinitionException e) {
                throw new Main.BadInputException(e.getMessage());
            }
            ok &= o.passed();
            stdout.printf("%s %s: %d cell(s) recomputed from %d run(s) in %s%s%n", o.passed() ? "OK  " : "FAIL", o.markdown(), o.cells(), o.runs(),
                    o.ledger(), o.notCheckable().isEmpty() ? "" : "; not checkable: " + o.notCheckable().size());
            for (ReportCheck.Difference d : o.differences()) stdout.printf("  differs: %s%n", d);
            for (StudyReport.Agreement a : o.disagreements()) {
                stdout.printf("  figure %s disagrees with the table: %s: figure %s, table %s%n", a.figure(), a.what(), a.figureValue(), a.tableValue());
            }
            for (String n : o.notCheckable()) stdout.printf("  not checkable: %s%n", n);
            for (String w : o.warnings()) stdout.printf("  warning: %s%n", w);
        }
        stdout.flush();
        return ok ? 0 : 1;
    }

    private List<Path> definitionFiles() throws IOException {
        if (!Files.isDirectory(reports)) {
            throw new Main.BadInputException("no report definitions: " + reports + " is not a directory (see --reports)");
        }
        List<Path> all;
        try (Stream<Path> files = Files.list(reports)) {
            all = files.filter(f -> f.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        }
        if (names.isEmpty()) {
            if (all.isEmpty()) throw new Main.BadInputException("no report definitions (*.yaml) in " + reports);
            return all;
        }
        List<Path> chosen = new ArrayList<>();
        for (String name : names) {
            Path found = all.stream().filter(f -> f.getFileName().toString().replaceFirst("\\.ya?ml$", "").equals(name))
                    .findFirst().orElseThrow(() -> new Main.BadInputException("no report named '" + name + "' in " + reports
                            + "; available: " + all.stream().map(f -> f.getFileName().toString().replaceFirst("\\.ya?ml$", "")).toList()));
            chosen.add(found);
        }
        return chosen;
    }
}
