package org.cinelab.cli;

import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
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
            description = "BLAS threads of this process, shared by its parallel trials (default: available cores / --parallel, at least 1); recorded as cinelab.blas_threads.")
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

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Checkpoints and resumable state (default .cinelab/state/<experiment name>-seed<seed>).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if (parallel < 1) throw new Main.BadInputException("--parallel must be >= 1, got " + parallel);
        if (threads != null && threads < 1) throw new Main.BadInputException("--threads must be >= 1, got " + threads);
        // One BLAS pool per process: chosen here, before any model is built, never per trial.
        Nd4jRuntime.setBlasThreads(threads != null ? threads : Nd4jRuntime.defaultBlasThreads(parallel));
        ExperimentSpec s = spec.load();
        if (seed != null) {
            if (seed < 0) throw new Main.BadInputException("--seed must be >= 0, got " + seed);
            s = s.withSeed(seed);
        }
        Path state = stateDir != null ? stateDir : Path.of(".cinelab", "state", s.name() + "-seed" + s.seed());
        String uri = trackingUri != null ? trackingUri : s.tracking().uri();
        Path data = dataDir.resolve();
        if (resume) {
            // --resume alone continues where the execution ran: its tracking store and data folder.
            var previous = new org.cinelab.runner.StateStore(state).readExperiment();
            if (previous != null) {
                if (uri == null && previous.trackingUri != null) uri = previous.trackingUri;
                if (dataDir.dir == null && System.getenv("CINELAB_DATA") == null && previous.dataDir != null) data = Path.of(previous.dataDir);
            }
        } else {
            // The data before the tracking store: a dataset that cannot be had stops the run with
            // nothing written. A tracking URI that cannot work is bad input, found before either.
            TrackerFactory.requireSupported(uri);
            DatasetInstaller.fetchIfMissing(s.dataset().name(), data, out()::println);
        }
        try (Tracker tracker = TrackerFactory.open(uri)) {
            if (tracker instanceof org.cinelab.tracking.rest.RestTracker rest) rest.failFastBeforeFirstRun(!spool);
            ExperimentResult result = new ExperimentRunner(s, tracker,
                    new RunOptions(parallel, resume, data, state, out(), TrackerFactory.canonicalUri(uri)).withKeepCheckpoints(keepCheckpoints)).run();
            out().printf("%nLogged to %s (experiment id %s, parent run %s).%n", tracker.describe(),
                    result.experimentId(), result.parentRunId());
            return result.best() == null ? Main.EXIT_FAILURE : 0;
        }
    }
}
