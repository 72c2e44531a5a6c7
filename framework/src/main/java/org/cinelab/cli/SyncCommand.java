package org.cinelab.cli;

import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.TrackerFactory;
import org.cinelab.tracking.rest.RestApi;
import org.cinelab.tracking.rest.RestSettings;
import org.cinelab.tracking.rest.Secrets;
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
        "Credentials: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD; MLFLOW_TRACKING_INSECURE_TLS."})
final class SyncCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The file store directory, e.g. ./mlruns or .cinelab/spool/<host>.")
    Path store;

    @Option(names = "--to", paramLabel = "URI", required = true,
            description = "The tracking server, e.g. http://localhost:5000.")
    String to;

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
            StoreSync.Report report = new StoreSync(api, line -> {
                out.println(line);
                out.flush();
            }).sync(new MlflowFileStore(store));
            out.println("Synced " + store.toAbsolutePath().normalize() + " to " + settings.baseUri() + ": " + report.summary() + ".");
        }
        return 0;
    }
}
