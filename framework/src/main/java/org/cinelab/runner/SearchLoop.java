package org.cinelab.runner;

import org.cinelab.search.Decision;
import org.cinelab.search.Search;
import org.cinelab.search.SearchState;
import org.cinelab.search.TrialAction;
import org.cinelab.search.TrialRecord;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The search engine's loop: while a worker is free it asks the scheduler what to do (start a
 * trial with the sampler's values, resume a paused one, finish one), hands that to the
 * {@link TrialExecutor}, and answers every epoch a trial reports with the scheduler's verdict. All
 * decisions are taken on this one thread, in the order events arrive, so with one worker a search
 * is deterministic; with several, no worker waits while the scheduler has work for it.
 *
 * <p>Each decision is written to the trial's state before the trial is handed over, so a search
 * rebuilt from the stored states after a crash continues where it stood (see docs/resume.md).
 */
final class SearchLoop {
    private final Search search;
    private final SearchState state;
    private final TrialExecutor executor;
    private final StateStore store;
    private final Progress progress;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Trials with a segment or finish task handed to the executor and not yet ended. */
    private final Set<String> busy = new HashSet<>();
    /** Worker-seconds with nothing to do, integrated over the search, for the summary and the benchmark. */
    private long lastChangeNanos = System.nanoTime();
    private double idleWorkerSeconds;
    private double elapsedSeconds;

    SearchLoop(Search search, SearchState state, TrialExecutor executor, StateStore store, Progress progress) {
        this.search = search;
        this.state = state;
        this.executor = executor;
        this.store = store;
        this.progress = progress;
    }

    private sealed interface Event {}

    private record Epoch(String trialId, TrialState state, CompletableFuture<TrialRunner.Verdict> reply) implements Event {}

    private record Ended(String trialId, TrialState state) implements Event {}

    private record Crashed(String trialId, Throwable error) implements Event {}

    /** The share of worker time spent with nothing to do (0 when every worker always had a trial). */
    double idleFraction() { return elapsedSeconds == 0 ? 0 : idleWorkerSeconds / (elapsedSeconds * executor.slots()); }

    /**
     * Runs the search to its end.
     *
     * @throws TrialRunner.Stopped when a stop was requested (Ctrl-C); running trials stopped at an epoch boundary
     * @throws IOException         when a trial could not run for a reason that is not the trial's (tracking, disk)
     */
    void run() throws IOException {
        lastChangeNanos = System.nanoTime();
        while (true) {
            boolean done = dispatch();
            if (done && busy.isEmpty()) break;
            if (busy.isEmpty()) {
                throw new IllegalStateException("scheduler " + search.scheduler().name()
                        + " waits for results while no trial is running; trials: " + state.records());
            }
            Event e;
            try {
                e = events.take();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new TrialRunner.Stopped();
            }
            handle(e);
        }
        account();
    }

    /** Fills free workers with what the scheduler decides; true when the scheduler says the search is done. */
    private boolean dispatch() throws IOException {
        while (busy.size() < executor.slots()) {
            Decision d = pending();
            if (d == null) d = search.scheduler().next(state);
            if (d instanceof Decision.Done) return true;
            if (d instanceof Decision.Wait) return false;
            if (d instanceof Decision.Start start) {
                TrialRecord r = search.start(state, start);
                store.writeTrial(TrialState.created(r));
                progress.started(r);
                train(r);
            } else if (d instanceof Decision.Resume resume) {
                TrialRecord r = state.get(resume.trialId());
                TrialState s = store.readTrial(r.id());
                s.target = resume.target();
                s.status = TrialState.Status.RUNNING;
                store.writeTrial(s);
                r.target(resume.target());
                r.status(TrialRecord.Status.RUNNING);
                progress.resumed(r);
                train(r);
            } else if (d instanceof Decision.Finish finish) {
                TrialRecord r = state.get(finish.trialId());
                TrialState s = store.readTrial(r.id());
                s.status = TrialState.Status.FINISHING;
                s.stopReason = finish.reason();
                store.writeTrial(s);
                r.status(TrialRecord.Status.FINISHING);
                account();
                busy.add(r.id());
                executor.finish(Trial.of(r), finish.reason(), listener());
            }
        }
        return false;
    }

    /**
     * Work a rebuilt search owes before asking the scheduler: a trial that was training or
     * finishing when the previous process died continues first.
     */
    private Decision pending() throws IOException {
        for (TrialRecord r : state.records()) {
            if (busy.contains(r.id())) continue;
            if (r.status() == TrialRecord.Status.RUNNING) return new Decision.Resume(r.id(), r.target());
            if (r.status() == TrialRecord.Status.FINISHING) {
                TrialState s = store.readTrial(r.id());
                return new Decision.Finish(r.id(), s.stopReason == null ? "stopped by " + search.scheduler().name() : s.stopReason);
            }
        }
        return null;
    }

    private void train(TrialRecord r) {
        account();
        busy.add(r.id());
        executor.train(Trial.of(r), r.target(), listener());
    }

    private TrialExecutor.Listener listener() {
        return new TrialExecutor.Listener() {
            public TrialRunner.Verdict afterEpoch(TrialState s) {
                CompletableFuture<TrialRunner.Verdict> reply = new CompletableFuture<>();
                events.add(new Epoch(s.trialId, s, reply));
                try {
                    return reply.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TrialRunner.Stopped();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TrialRunner.Stopped stopped) throw stopped;
                    throw new IllegalStateException(e.getCause());
                }
            }

            public void ended(TrialState s) { events.add(new Ended(s.trialId, s)); }

            public void crashed(String trialId, Throwable error) { events.add(new Crashed(trialId, error)); }
        };
    }

    private void handle(Event e) throws IOException {
        if (e instanceof Epoch ep) {
            ep.reply().complete(afterEpoch(ep.state()));
        } else if (e instanceof Ended end) {
            TrialRecord r = sync(end.state());
            account();
            busy.remove(end.trialId());
            search.sampler().tell(r);
            progress.ended(r, end.state());
        } else if (e instanceof Crashed c) {
            busy.remove(c.trialId());
            drainAfterCrash();
            if (c.error() instanceof TrialRunner.Stopped stopped) throw stopped;
            if (c.error() instanceof IOException io) throw io;
            if (c.error() instanceof RuntimeException re) throw re;
            throw new IOException(c.error());
        }
    }

    /**
     * The verdict after a reported epoch: early stopping first, then the scheduler. The record's
     * status is left as it is (RUNNING) until the segment has ended: until then the trial is still
     * its worker's, and a scheduler asked in between must not hand it to another worker.
     */
    private TrialRunner.Verdict afterEpoch(TrialState s) {
        TrialRecord r = syncEpochs(s);
        search.sampler().tell(r);
        progress.epoch(r, s);
        if (s.earlyStopped) return TrialRunner.Verdict.stop(TrialRunner.earlyStopReason(s));
        TrialAction action = search.scheduler().onResult(state, r);
        return switch (action) {
            case CONTINUE -> TrialRunner.Verdict.CONTINUE;
            case PAUSE -> TrialRunner.Verdict.PAUSE;
            case STOP -> TrialRunner.Verdict.stop("completed " + r.epochsDone() + " epochs");
        };
    }

    /** Brings the engine's record up to the trial's saved state, once its segment has ended. */
    private TrialRecord sync(TrialState s) {
        TrialRecord r = syncEpochs(s);
        switch (s.status) {
            case PAUSED -> r.status(TrialRecord.Status.PAUSED);
            case FINISHED -> r.status(TrialRecord.Status.FINISHED);
            case FAILED -> r.status(TrialRecord.Status.FAILED);
            default -> { }
        }
        return r;
    }

    /** The epochs a trial has reported (all new ones at once when a segment reports only its end). */
    private TrialRecord syncEpochs(TrialState s) {
        TrialRecord r = state.get(s.trialId);
        double[] series = s.validationSeries(search.objective().metric());
        for (int epoch = r.epochsDone() + 1; epoch <= series.length; epoch++) r.report(epoch, series[epoch - 1]);
        r.earlyStopped(s.earlyStopped);
        return r;
    }

    /** After a crash, lets the other running segments end (they stop at their next epoch) before the error propagates. */
    private void drainAfterCrash() {
        executor.requestStop();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!busy.isEmpty() && System.nanoTime() < deadline) {
            try {
                Event e = events.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                // Stopped, not PAUSE: a trial paused below its target is one no scheduler would train again
                // on --resume; stopped, it stays RUNNING and resumes where it was.
                if (e instanceof Epoch ep) ep.reply().completeExceptionally(new TrialRunner.Stopped());
                else if (e instanceof Ended end) busy.remove(end.trialId());
                else if (e instanceof Crashed c) busy.remove(c.trialId());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Integrates idle worker time up to now; called before the number of busy workers changes. */
    private void account() {
        long now = System.nanoTime();
        double dt = (now - lastChangeNanos) / 1e9;
        idleWorkerSeconds += Math.max(0, executor.slots() - busy.size()) * dt;
        elapsedSeconds += dt;
        lastChangeNanos = now;
    }
}
