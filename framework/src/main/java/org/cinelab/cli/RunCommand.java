package org.cinelab.cli;

import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.io.StateStorage;
import org.cinelab.runner.ExecutorProvider;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.runner.StateStore;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code cinelab run SPEC}: trains the plan and logs everything to MLflow. */
@Command(name = "run", description = "Run an experiment: train every trial of the plan and log it to MLflow.")
final class RunCommand extends CineLabCommand {
    @Mixin
    SpecArgument spec;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Trials trained at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of this process, shared by its parallel trials (default: available cores / --parallel, at least 1); recorded as cinelab.blas_threads.")
    Integer threads;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow store: a directory, a file: URI, sqlite:///path.db or an http(s):// tracking server (default: spec tracking.uri, then MLFLOW_TRACKING_URI, then ./mlruns).")
    String trackingUri;

    @Option(names = "--resume", description = "Continue the interrupted execution of this spec under the same parent run.")
    boolean resume;

    @Option(names = "--seed", paramLabel = "N",
            description = "Override the spec's seed (e.g. 1, 2, 3 for a mean ± sd table); recorded on every run.")
    Long seed;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--spool",
            description = "With an MLflow server: if it cannot be reached at the start, log to the local spool and sync later (default: a refused connection or unknown host before the first run is an error, exit 2).")
    boolean spool;

    @Option(names = "--keep-checkpoints",
            description = "Keep every trial's checkpoints after the execution finished (default: removed once logged; the trial states stay).")
    boolean keepCheckpoints;

    @Option(names = "--state-dir", paramLabel = "DIR|URI",
            description = "Checkpoints and resumable state (default .cinelab/state/<experiment name>-seed<seed>); "
                    + "with --executor spark also hdfs://..., s3a://... or file:///shared/dir.")
    String stateDir;

    @Option(names = "--executor", paramLabel = "NAME", defaultValue = "local",
            description = "Where trials train: local (threads of this process; default) or spark (Apache Spark "
                    + "executors; needs CineLab's Spark jar, see docs/spark.md).")
    String executor;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --executor spark: local[N], local-cluster[W,C,M], spark://HOST:7077, k8s://https://HOST:PORT "
                    + "(default: spark-submit's --master).")
    String master;

    @Option(names = "--shared-file-store",
            description = "With --executor spark and a cluster master: the file-store tracking URI is on storage that "
                    + "every executor mounts at the same path (checked by each executor).")
    boolean sharedFileStore;

    /** Where to get the Spark jar; the message of --executor spark without it. */
    static final String SPARK_MISSING = "--executor spark needs Apache Spark and CineLab's Spark jar, which this class path "
            + "(./cinelab's jar) does not have. Build the jar with 'mvn -B package -DskipTests' and run it through spark-submit: "
            + "spark-submit --master local[2] --class org.cinelab.cli.Main spark/target/cinelab-spark-all.jar run SPEC --executor spark "
            + "(./cinelab does this itself when spark-submit is on the PATH or SPARK_HOME is set; see docs/spark.md)";

    @Override
    public Integer call() throws Exception {
        if (parallel < 1) throw new Main.BadInputException("--parallel must be >= 1, got " + parallel);
        if (threads != null && threads < 1) throw new Main.BadInputException("--threads must be >= 1, got " + threads);
        ExperimentSpec s = spec.load();
        if (seed != null) {
            if (seed < 0) throw new Main.BadInputException("--seed must be >= 0, got " + seed);
            s = s.withSeed(seed);
        }
        int blasThreads = threads != null ? threads : Nd4jRuntime.defaultBlasThreads(parallel);
        StateLocation state = StateLocation.parse(stateDir != null ? stateDir
                : Path.of(".cinelab", "state", s.name() + "-seed" + s.seed()).toString());
        String uri = trackingUri != null ? trackingUri : s.tracking().uri();
        Path data = dataDir.resolve();
        ExecutorProvider.Session session = openExecutor(s, state);
        try (session) {
            StateStorage storage = null;
            if (state.remote()) {
                try {
                    storage = session.stateStorage(state.location());
                } catch (java.io.IOException | IllegalArgumentException e) {
                    throw new Main.BadInputException("--state-dir " + state.location() + ": " + (e instanceof java.io.IOException io
                            ? org.cinelab.io.IoErrors.describe(io) : e.getMessage()));
                }
            }
            if (resume) {
                // --resume alone continues where the execution ran: its tracking store and data folder.
                var previous = (storage == null ? new StateStore(state.local()) : new StateStore(storage, state.local())).readExperiment();
                if (previous != null) {
                    if (uri == null && previous.trackingUri != null) uri = previous.trackingUri;
                    if (dataDir.dir == null && System.getenv("CINELAB_DATA") == null && previous.dataDir != null) data = Path.of(previous.dataDir);
                    blasThreads = resumedThreads(previous.blasThreads, blasThreads, previous.finished);
                }
            } else {
                // The data before the tracking store: a dataset that cannot be had stops the run with
                // nothing written. A tracking URI that cannot work is bad input, found before either.
                TrackerFactory.requireSupported(uri);
                DatasetInstaller.fetchIfMissing(s.dataset().name(), data, out()::println);
            }
            // One BLAS pool per process: chosen here, before any model is built, never per trial.
            Nd4jRuntime.setBlasThreads(blasThreads);
            RunOptions options = new RunOptions(parallel, resume, data, state.local(), out(), TrackerFactory.canonicalUri(uri))
                    .withKeepCheckpoints(keepCheckpoints);
            if (session != null) {
                boolean dataGiven = dataDir.dir != null || (System.getenv("CINELAB_DATA") != null && !System.getenv("CINELAB_DATA").isBlank());
                try {
                    options = options.withExecutor(session.factory(TrackerFactory.resolveUri(uri), data, dataGiven)).withStateStorage(storage);
                } catch (IllegalArgumentException e) {
                    throw new Main.BadInputException(e.getMessage());
                }
            }
            try (Tracker tracker = TrackerFactory.open(uri)) {
                if (tracker instanceof org.cinelab.tracking.rest.RestTracker rest) rest.failFastBeforeFirstRun(!spool);
                ExperimentResult result = new ExperimentRunner(s, tracker, options).run();
                out().printf("%nLogged to %s (experiment id %s, parent run %s).%n", tracker.describe(),
                        result.experimentId(), result.parentRunId());
                return result.best() == null ? Main.EXIT_FAILURE : 0;
            }
        }
    }

    /**
     * The thread count a resumed execution trains with: the one it started with, unless --threads
     * names another. Products split over a different number of threads round differently, so
     * keeping the count keeps the remaining trials' digits what they would have been.
     */
    private int resumedThreads(int recorded, int chosen, boolean finished) {
        if (recorded <= 0) return chosen; // states written before the count was recorded
        if (threads == null) return recorded;
        if (threads != recorded && !finished) {
            out().printf("Note: the execution started with --threads %d; its remaining trials train with %d threads,"
                    + " so their last digits can differ from an uninterrupted run's.%n", recorded, threads);
        }
        return threads;
    }

    /** The executor named by --executor, opened; null for the local one. Bad options are bad input (exit 2). */
    private ExecutorProvider.Session openExecutor(ExperimentSpec s, StateLocation state) throws Exception {
        if (executor.equals("local")) {
            if (master != null) throw new Main.BadInputException("--master " + master + " is for --executor spark; the local executor trains on threads of this process");
            if (sharedFileStore) throw new Main.BadInputException("--shared-file-store is for --executor spark");
            if (state.remote()) {
                throw new Main.BadInputException("--state-dir " + state.location() + ": a hdfs://, s3a:// ... state dir needs --executor spark "
                        + "(Hadoop's file systems come with Spark); the local executor takes a path");
            }
            return null;
        }
        ExecutorProvider provider = ExecutorProvider.find(executor).orElseThrow(() -> new Main.BadInputException(
                executor.equals("spark") ? SPARK_MISSING : "unknown executor '" + executor + "'; known: local, spark"));
        try {
            return provider.open(new ExecutorProvider.Request(master, state.location(), sharedFileStore, parallel,
                    "cinelab run " + s.file().getFileName(), out()));
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(e.getMessage());
        }
    }
}
