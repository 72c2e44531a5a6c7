package org.cinelab.cli;

import org.cinelab.runner.Reproduction;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/** {@code cinelab reproduce RUN_ID}: re-run what a run records and show how the numbers compare. */
@Command(name = "reproduce", description = {
        "Re-run a logged run from its record and compare: a trial's run is retrained alone (its logged spec, values,",
        "trial seed and epochs); a parent run's whole execution is run again into a scratch store. The data's checksum",
        "must match the record. Prints every param, per-epoch and final metric that differs, and the largest difference;",
        "exit 0 when all are within --tolerance (bit-identical is expected at the same versions and threads)."})
final class ReproduceCommand extends CineLabCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to reproduce (a trial's run, or a parent run).")
    String runId;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Where the run is: a directory, file: URI, sqlite:///path.db or http(s):// server (default: MLFLOW_TRACKING_URI, then ./mlruns).")
    String trackingUri;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "0",
            description = "Largest absolute difference accepted for a metric (default ${DEFAULT-VALUE}: bit-identical).")
    double tolerance;

    @Option(names = "--show", paramLabel = "N", defaultValue = "40", description = "Differences listed at most (default ${DEFAULT-VALUE}).")
    int show;

    @Override
    public Integer call() throws Exception {
        if (!(tolerance >= 0)) throw new Main.BadInputException("--tolerance must be >= 0, got " + tolerance);
        long t0 = System.nanoTime();
        Reproduction.Outcome o;
        try (Tracker tracker = TrackerFactory.openForReading(trackingUri)) {
            o = new Reproduction(tracker, dataDir.resolve(), out()).reproduce(runId);
        }
        for (String n : o.notes()) out().println("Note: " + n + " (results may differ in the last digits)");
        var d = o.differences();
        if (!d.isEmpty()) {
            int w = Math.max(5, d.stream().mapToInt(x -> x.run().length()).max().orElse(5));
            int k = Math.max(3, d.stream().mapToInt(x -> x.key().length()).max().orElse(3));
            out().printf(Locale.ROOT, "%-" + w + "s  %-" + k + "s  %-24s  %-24s  %s%n", "trial", "key", "recorded", "reproduced", "|difference|");
            d.stream().limit(show).forEach(x -> out().printf(Locale.ROOT, "%-" + w + "s  %-" + k + "s  %-24s  %-24s  %s%n",
                    x.run(), x.key(), x.recorded(), x.reproduced(), Double.isNaN(x.absolute()) ? "-" : String.format(Locale.ROOT, "%.3g", x.absolute())));
            if (d.size() > show) out().printf("... and %d more (--show N)%n", d.size() - show);
        }
        boolean equal = o.equalWithin(tolerance);
        out().printf(Locale.ROOT, "Compared %d values: %s (%.1f s).%n", o.compared(),
                d.isEmpty() ? "all bit-identical"
                        : d.size() + " differ, largest |difference| " + (Double.isNaN(o.maxAbsolute()) ? "unbounded (a value is missing or not a number)"
                        : String.format(Locale.ROOT, "%.3g", o.maxAbsolute())) + (equal ? ", within --tolerance " + tolerance : ""),
                (System.nanoTime() - t0) / 1e9);
        return equal ? 0 : Main.EXIT_FAILURE;
    }
}
