package org.cinelab.cli;

import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.TrackerFactory;
import org.cinelab.tracking.rest.RestApi;
import org.cinelab.tracking.rest.RestSettings;
import org.cinelab.tracking.rest.Secrets;
import org.cinelab.tracking.rest.SpoolRemoval;
import org.cinelab.tracking.rest.StoreSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cinelab sync STORE --to URI}: copies a local MLflow file store (a spool left by an
 * unreachable server, or a laptop's {@code ./mlruns}) to a tracking server. Running it again
 * creates no duplicate runs or metric points.
 */
@Command(name = "sync", description = {
        "Copy a local MLflow file store (a CineLab spool or ./mlruns) to an MLflow tracking server.",
        "Idempotent: runs already copied are found again and metric points are not sent twice.",
        "CineLab's spool for that server is removed once all of it is delivered and its runs have ended.",
        "Credentials: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD; MLFLOW_TRACKING_INSECURE_TLS."})
final class SyncCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The file store directory, e.g. ./mlruns or .cinelab/spool/<host>.")
    Path store;

    @Option(names = "--to", paramLabel = "URI", required = true,
            description = "The tracking server, e.g. http://localhost:5000.")
    String to;

    private boolean isSpoolOf(RestSettings settings) throws java.io.IOException {
        return Files.isDirectory(settings.spoolDir()) && Files.isSameFile(store, settings.spoolDir());
    }

    @Override
    public Integer call() throws Exception {
        var out = commandSpec.commandLine().getOut();
        if (!Files.isDirectory(store)) {
            throw new Main.BadInputException("'" + store + "' is not a directory; expected an MLflow file store such as ./mlruns");
        }
        if (!TrackerFactory.isServerUri(to)) {
            throw new Main.BadInputException("--to '" + Secrets.redactUri(to) + "' is not an MLflow server URL; expected e.g. http://localhost:5000");
        }
        RestSettings settings = RestSettings.from(to, System.getenv());
        try (RestApi api = new RestApi(settings)) {
            MlflowFileStore source = new MlflowFileStore(store);
            StoreSync.Report report = new StoreSync(api, line -> {
                out.println(line);
                out.flush();
            }).sync(source);
            out.println("Synced " + store.toAbsolutePath().normalize() + " to " + settings.baseUri() + ": " + report.summary() + ".");
            // CineLab's own spool for this server goes once delivered; any other store (./mlruns) is the user's.
            if (isSpoolOf(settings)) {
                out.println("Spool " + store.toAbsolutePath().normalize() + ": " + SpoolRemoval.afterFullReplay(source).description() + ".");
            }
        }
        return 0;
    }
}
