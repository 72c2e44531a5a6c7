package org.cinelab.runner;

import org.cinelab.search.TrialAction;

import java.io.IOException;

/**
 * Where trial segments run: threads of this JVM ({@link LocalTrialExecutor}) or, in the spark
 * module, a cluster. A segment trains one trial from its checkpoint until the search loop says
 * pause or stop (at the latest at its target epoch) and, on stop, finishes it; the loop decides
 * everything else. Calls into the {@link Listener} may come from any thread.
 */
public interface TrialExecutor extends AutoCloseable {
    /** Threads of this JVM. */
    Factory LOCAL = (context, local, hyperparams, parallel) -> new LocalTrialExecutor(local, hyperparams, parallel);


    /** How many segments can run at once. */
    int slots();

    /** Trains {@code trial} towards {@code target} epochs; every epoch is put to {@code listener}, then the end. */
    void train(Trial trial, int target, Listener listener);

    /** Evaluates a trial that trains no more and closes its run, then tells {@code listener} the end. */
    void finish(Trial trial, String reason, Listener listener);

    /** Asks running segments to stop at their next epoch boundary (Ctrl-C). */
    void requestStop();

    @Override
    void close();

    /** Makes the executor of an execution; the default runs trials on threads of this process. */
    interface Factory {
        /**
         * @param context    what any process needs to train this execution's trials
         * @param local      the driver's own runner (for executors that train in this process)
         * @param parallel   {@code --parallel}: segments at once
         */
        TrialExecutor create(TrialContext context, TrialRunner local, java.util.function.Function<Trial, org.cinelab.space.Hyperparams> hyperparams,
                             int parallel) throws IOException;

        /** The command-line options that select this executor ({@code " --executor spark --master ..."}), for the resume hint. */
        default String cliOptions() { return ""; }
    }

    /** The search loop's side of a segment. */
    interface Listener {
        /** After every epoch a segment trains (state already saved): the loop's answer. */
        TrialRunner.Verdict afterEpoch(TrialState state);

        /** The segment ended: paused, finished or failed (a FAILED state carries the reason). */
        void ended(TrialState state);

        /**
         * The segment could not run for a reason that is not the trial's: tracking or disk I/O, a
         * stop request ({@link TrialRunner.Stopped}). The search cannot go on.
         */
        void crashed(String trialId, Throwable error);
    }

    /** Convenience for an executor's training task: one segment through a {@link TrialRunner}. */
    static void runSegment(TrialRunner runner, Trial trial, org.cinelab.space.Hyperparams hp, int target, Listener listener) {
        try {
            TrialRunner.Verdict v = runner.advance(trial, hp, target, listener::afterEpoch);
            TrialState s = v.action() == TrialAction.STOP ? runner.finish(trial, hp, v.stopReason()) : runner.state(trial.id());
            listener.ended(s);
        } catch (IOException | RuntimeException | Error e) {
            listener.crashed(trial.id(), e);
        }
    }

    /** Convenience for an executor's finishing task. */
    static void runFinish(TrialRunner runner, Trial trial, org.cinelab.space.Hyperparams hp, String reason, Listener listener) {
        try {
            listener.ended(runner.finish(trial, hp, reason));
        } catch (IOException | RuntimeException | Error e) {
            listener.crashed(trial.id(), e);
        }
    }
}
