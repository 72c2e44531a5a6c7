package org.cinelab.cli;

import org.cinelab.report.ReportDefinition;
import org.cinelab.report.ReportDefinitionException;
import org.cinelab.report.StudyReport;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.TrackerFactory;
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

/** {@code cinelab report [NAME...]}: regenerates the study tables under {@code results/} from the tracking store. */
@Command(name = "report", description = "Write study tables (ours vs the paper, mean ± sd over seeds) from the tracking store to results/.")
final class ReportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Report definitions to run (file names in --reports without .yaml); default: all of them.")
    List<String> names = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow store to read: a directory, a file: URI or sqlite:///path.db (default: MLFLOW_TRACKING_URI, then ./mlruns).")
    String trackingUri;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Where the Markdown tables and figures go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "experiments/reports",
            description = "Where the report definitions are (default ${DEFAULT-VALUE}).")
    Path reports;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        List<ReportDefinition> definitions = new ArrayList<>();
        try {
            for (Path file : definitionFiles()) definitions.add(ReportDefinition.load(file));
        } catch (ReportDefinitionException e) {
            throw new Main.BadInputException(e.getMessage());
        }
        try (Tracker tracker = TrackerFactory.openForReading(trackingUri)) {
            stdout.printf("Reading %s%n", tracker.describe());
            for (ReportDefinition def : definitions) {
                StudyReport.Result result = StudyReport.write(def, tracker, out);
                long notRun = result.rows().stream().filter(StudyReport.RowResult::notRun).count();
                stdout.printf("Wrote %s: %d row(s), %d not run yet%s%n", result.markdown(), result.rows().size(), notRun,
                        result.plots().isEmpty() ? "" : ", " + result.plots().stream().filter(p -> !p.empty()).count() + " figure(s)");
                for (StudyReport.RowResult r : result.rows()) {
                    if (r.notRun()) stdout.printf("  not run yet: %s%n    %s%n", r.row().label(), r.row().command());
                }
            }
        }
        stdout.flush();
        return 0;
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
