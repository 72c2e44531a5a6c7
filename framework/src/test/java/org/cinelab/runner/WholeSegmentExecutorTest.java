package org.cinelab.runner;

import org.cinelab.search.TrialAction;
import org.cinelab.space.Hyperparams;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An executor that cannot ask the loop after every epoch (a cluster's: a segment runs to its target
 * by the schedulers' default rule, then replays its final state to the loop: one afterEpoch, then
 * ended) gives the same search as the local one, and the loop never hands a trial to a second
 * worker while its segment has not ended, even when the replay's two calls are far apart.
 */
class WholeSegmentExecutorTest {
    @TempDir Path tmp;

    static final String SH_GRID = """
            experiment: {name: whole-segments}
            seed: 11
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf, params: {factors: 4}}
            search: {sampler: grid, scheduler: successive-halving, max_epochs: 4, eta: 2}
            space:
              lr: [0.002, 0.004, 0.008, 0.016]
            objective: {metric: rmse, mode: min}
            """;

    @Test
    void segmentsRunToTheirTargetAndReplayedGiveTheLocalSearchWithNoTrialHandedOutTwice() throws Exception {
        Path data = RunnerFixture.syntheticData(tmp);
        ExperimentSpec spec = RunnerFixture.spec(tmp, SH_GRID);
        java.util.Map<String, String> local, whole;
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("local"))) {
            var r = new ExperimentRunner(spec, store, RunnerFixture.options(data, tmp.resolve("s1"))).run();
            local = RunnerFixture.snapshot(store, r.experimentId());
        }
        List<String> errors = new CopyOnWriteArrayList<>();
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("whole"))) {
            RunOptions options = new RunOptions(3, false, data, tmp.resolve("s2"), RunnerFixture.QUIET)
                    .withExecutor((context, runner, hp, parallel) -> new WholeSegments(context, runner, hp, errors));
            var r = new ExperimentRunner(spec, store, options).run();
            whole = RunnerFixture.snapshot(store, r.experimentId());
        }
        assertEquals(List.of(), errors, "trials handed to a worker while their segment was still running");
        assertEquals(local, whole);
        assertTrue(local.size() >= 5, "4 trials and the parent");
    }

    /**
     * Trains whole segments on three threads; between the replayed afterEpoch and ended it waits 150 ms,
     * and t001's first segment starts late.
     */
    static final class WholeSegments implements TrialExecutor {
        private final TrialContext context;
        private final TrialRunner runner;
        private final Function<Trial, Hyperparams> hyperparams;
        private final List<String> errors;
        private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        private final ExecutorService pool = Executors.newFixedThreadPool(3);

        WholeSegments(TrialContext context, TrialRunner runner, Function<Trial, Hyperparams> hyperparams, List<String> errors) {
            this.context = context;
            this.runner = runner;
            this.hyperparams = hyperparams;
            this.errors = errors;
        }

        @Override public int slots() { return 3; }

        @Override
        public void train(Trial trial, int target, Listener listener) {
            if (!inFlight.add(trial.id())) errors.add("train " + trial.id());
            pool.execute(() -> {
                try {
                    // The first trial ends its first rung last, so the rung is complete when it is replayed.
                    if (trial.id().equals("t001") && target == 1) Thread.sleep(600);
                    Hyperparams hp = hyperparams.apply(trial);
                    TrialRunner.Verdict v = runner.advance(trial, hp, target, s -> {
                        if (s.earlyStopped) return TrialRunner.Verdict.stop(TrialRunner.earlyStopReason(s));
                        if (s.epochsDone < target) return TrialRunner.Verdict.CONTINUE;
                        return target >= context.maxEpochs() ? TrialRunner.Verdict.stop("completed " + s.epochsDone + " epochs")
                                : TrialRunner.Verdict.PAUSE;
                    });
                    TrialState s = v.action() == TrialAction.STOP ? runner.finish(trial, hp, v.stopReason()) : runner.state(trial.id());
                    listener.afterEpoch(s);
                    Thread.sleep(150);
                    inFlight.remove(trial.id());
                    listener.ended(s);
                } catch (Exception | Error e) {
                    inFlight.remove(trial.id());
                    listener.crashed(trial.id(), e);
                }
            });
        }

        @Override
        public void finish(Trial trial, String reason, Listener listener) {
            if (!inFlight.add(trial.id())) errors.add("finish " + trial.id());
            pool.execute(() -> {
                try {
                    TrialState s = runner.finish(trial, hyperparams.apply(trial), reason);
                    inFlight.remove(trial.id());
                    listener.ended(s);
                } catch (Exception | Error e) {
                    inFlight.remove(trial.id());
                    listener.crashed(trial.id(), e);
                }
            });
        }

        @Override public void requestStop() { runner.requestStop(); }

        @Override public void close() { pool.shutdownNow(); }
    }
}
