package org.cinelab.cli;

import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import org.cinelab.tracking.TrackerSyncTarget;
import org.cinelab.tracking.rest.RestApi;
import org.cinelab.tracking.rest.RestSettings;
import org.cinelab.tracking.rest.Secrets;
import org.cinelab.tracking.rest.SpoolRemoval;
import org.cinelab.tracking.rest.StoreSync;
import org.cinelab.tracking.sqlite.SqliteUris;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cinelab sync STORE --to URI}: copies a local MLflow store (a spool left by an unreachable
 * server, a laptop's {@code ./mlruns}, a SQLite database) to a tracking server or to another local
 * store ({@code cinelab sync ./mlruns --to sqlite:///mlflow.db} migrates a file store). Running it
 * again creates no duplicate runs or metric points.
 */
@Command(name = "sync", description = {
        "Copy a local MLflow store (a file store such as ./mlruns or a CineLab spool, or a SQLite database",
        "sqlite:///mlflow.db) to an MLflow tracking server or to another local store.",
        "Idempotent: runs already copied are found again and metric points are not sent twice.",
        "CineLab's spool for that server is removed once all of it is delivered and its runs have ended.",
        "Credentials: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD; MLFLOW_TRACKING_INSECURE_TLS."})
final class SyncCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "STORE",
            description = "The store to copy: a file store directory (./mlruns, .cinelab/spool/<host>) or sqlite:///path.db.")
    String store;

    @Option(names = "--to", paramLabel = "URI", required = true,
            description = "Where to copy it: a tracking server (http://localhost:5000), a SQLite database (sqlite:///mlflow.db) or a file store directory.")
    String to;

    private static boolean isSpoolOf(RestSettings settings, Path root) throws java.io.IOException {
        return Files.isDirectory(settings.spoolDir()) && Files.isSameFile(root, settings.spoolDir());
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        StoreSync.Report report;
        String target;
        try (Tracker source = openSource()) {
            if (TrackerFactory.isServerUri(to)) {
                RestSettings settings = RestSettings.from(to, System.getenv());
                target = settings.baseUri();
                try (RestApi api = new RestApi(settings)) {
                    report = new StoreSync(api, line -> print(out, line)).sync(source);
                }
                out.println("Synced " + source.describe() + " to " + target + ": " + report.summary() + ".");
                // CineLab's own spool for this server goes once delivered; any other store (./mlruns) is the user's.
                if (source instanceof MlflowFileStore fs && isSpoolOf(settings, fs.root())) {
                    out.println("Spool " + fs.root() + ": " + SpoolRemoval.afterFullReplay(fs).description() + ".");
                }
            } else {
                try (Tracker destination = TrackerFactory.open(to)) {
                    if (destination.describe().equals(source.describe())) {
                        throw new Main.BadInputException("--to '" + to + "' is the store being copied; give another store");
                    }
                    target = destination.describe();
                    report = new StoreSync(new TrackerSyncTarget(destination), line -> print(out, line)).sync(source);
                }
                out.println("Synced " + source.describe() + " to " + target + ": " + report.summary() + ".");
            }
        }
        return 0;
    }

    /** The store to copy, which must exist: read-only SQLite files are fine. */
    private Tracker openSource() throws Exception {
        if (SqliteUris.isSqliteUri(store)) return TrackerFactory.openForReading(store);
        if (TrackerFactory.isServerUri(store)) {
            throw new Main.BadInputException("STORE '" + Secrets.redactUri(store) + "' is a tracking server; sync copies a local "
                    + "store (a directory such as ./mlruns, or sqlite:///mlflow.db) to a server or another store");
        }
        Path root = TrackerFactory.fileStoreRoot(store);
        if (!Files.isDirectory(root)) {
            throw new Main.BadInputException("'" + store + "' is not a directory; expected an MLflow file store such as "
                    + "./mlruns, or a SQLite database such as sqlite:///mlflow.db");
        }
        return new MlflowFileStore(root);
    }

    private static void print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
