package org.cinelab.runner;

import org.cinelab.space.Hyperparams;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** Runs segments on {@code --parallel N} daemon threads of this JVM. */
final class LocalTrialExecutor implements TrialExecutor {
    private final TrialRunner runner;
    private final Function<Trial, Hyperparams> hyperparams;
    private final int slots;
    private final ExecutorService pool;

    LocalTrialExecutor(TrialRunner runner, Function<Trial, Hyperparams> hyperparams, int slots) {
        this.runner = runner;
        this.hyperparams = hyperparams;
        this.slots = slots;
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "cinelab-trial");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int slots() { return slots; }

    @Override
    public void train(Trial trial, int target, Listener listener) {
        pool.execute(() -> TrialExecutor.runSegment(runner, trial, hyperparams.apply(trial), target, listener));
    }

    @Override
    public void finish(Trial trial, String reason, Listener listener) {
        pool.execute(() -> TrialExecutor.runFinish(runner, trial, hyperparams.apply(trial), reason, listener));
    }

    @Override
    public void requestStop() { runner.requestStop(); }

    @Override
    public void close() { pool.shutdownNow(); }
}
