package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives samplers and schedulers the way the search loop does, with simulated workers and epoch
 * durations instead of training: each trial's validation value after epoch e is
 * {@code |log10(lr) + 2.5| + 1/e}, an epoch of trial k takes {@code 1 + k mod 3} time units.
 */
class SchedulerSimulationTest {
    static final SearchSpace SPACE = SearchSpace.of(Map.of("lr", new Domain.LogUniform(1e-4, 1e-1)));

    /** What a simulated search did. */
    record Outcome(Map<String, Integer> epochsPerTrial, List<String> log, double idleWorkerTime, double idleBeforeLastStart, double startsDoneAt,
                   double end, SearchState state) {}

    static Outcome simulate(Search search, int workers) {
        SearchState state = search.newState();
        Scheduler scheduler = search.scheduler();
        record Busy(double until, TrialRecord trial, boolean finishing) {}
        PriorityQueue<Busy> running = new PriorityQueue<>(Comparator.comparingDouble(Busy::until).thenComparing(b -> b.trial().id()));
        List<String> log = new ArrayList<>();
        double now = 0, idle = 0, idleBefore = 0, startsDoneAt = -1;
        while (true) {
            while (running.size() < workers) {
                Decision d = scheduler.next(state);
                if (d instanceof Decision.Start s) {
                    TrialRecord r = search.start(state, s);
                    log.add("start " + r.id() + " b" + s.bracket() + " -> " + s.target());
                    running.add(new Busy(now + duration(r), r, false));
                } else if (d instanceof Decision.Resume rs) {
                    TrialRecord r = state.get(rs.trialId());
                    r.target(rs.target());
                    r.status(TrialRecord.Status.RUNNING);
                    log.add("resume " + r.id() + " -> " + rs.target());
                    running.add(new Busy(now + duration(r), r, false));
                } else if (d instanceof Decision.Finish f) {
                    TrialRecord r = state.get(f.trialId());
                    r.status(TrialRecord.Status.FINISHING);
                    log.add("finish " + r.id() + ": " + f.reason());
                    running.add(new Busy(now, r, true));
                } else {
                    break;
                }
            }
            if (startsDoneAt < 0 && state.size() == scheduler.maxTrials()) startsDoneAt = now;
            if (running.isEmpty()) break;
            Busy next = running.poll();
            idle += (workers - running.size() - 1) * (next.until() - now);
            if (startsDoneAt < 0) idleBefore += (workers - running.size() - 1) * (next.until() - now);
            now = next.until();
            TrialRecord r = next.trial();
            if (next.finishing()) {
                r.status(TrialRecord.Status.FINISHED);
                continue;
            }
            r.report(r.epochsDone() + 1, value(r, r.epochsDone() + 1));
            TrialAction a = scheduler.onResult(state, r);
            if (a == TrialAction.CONTINUE) running.add(new Busy(now + duration(r), r, false));
            else if (a == TrialAction.PAUSE) r.status(TrialRecord.Status.PAUSED);
            else r.status(TrialRecord.Status.FINISHED);
        }
        Map<String, Integer> epochs = new LinkedHashMap<>();
        for (TrialRecord r : state.records()) epochs.put(r.id(), r.epochsDone());
        return new Outcome(epochs, log, idle, idleBefore, startsDoneAt, now, state);
    }

    static double value(TrialRecord r, int epoch) {
        return Math.abs(Math.log10((Double) r.values().get("lr")) + 2.5) + 1.0 / epoch;
    }

    private static double duration(TrialRecord r) { return 1 + r.index() % 3; }

    static Search search(String sampler, Integer trials, String scheduler, int max, int eta) {
        return Search.of(SearchSettings.of(sampler, trials, scheduler, max, eta, 1), SPACE, 3, SearchTest.RMSE);
    }

    @Test
    void hyperbandWithOneWorkerTrainsEveryBracketRungByRungAsPlanned() {
        Search s = search("random", null, "hyperband", 27, 3);
        Outcome o = simulate(s, 1);

        assertEquals(s.scheduler().maxTrials(), o.state().size());
        assertEquals(s.scheduler().budget().maxEpochs(), o.state().epochsTrained());
        for (BracketShape b : s.scheduler().brackets()) {
            for (Rung rung : b.rungs()) {
                long reached = o.state().records().stream().filter(r -> r.bracket() == b.s() && r.epochsDone() >= rung.epochs()).count();
                assertEquals(rung.configs(), reached, "bracket " + b.s() + " rung " + rung.index());
            }
        }
        assertTrue(o.state().records().stream().allMatch(r -> r.status() == TrialRecord.Status.FINISHED));
        // one worker: bracket 3 (27 trials) finishes before bracket 2 starts
        int firstOfSecondBracket = o.log().indexOf("start t028 b2 -> 3");
        assertTrue(firstOfSecondBracket > o.log().indexOf("start t027 b3 -> 1"), o.log().toString());
        assertTrue(o.log().subList(firstOfSecondBracket, o.log().size()).stream().noneMatch(l -> l.contains("rung") && l.contains("(1 epochs)")));
    }

    @Test
    void promotionsDoNotDependOnHowManyWorkersRan() {
        Search one = search("random", null, "hyperband", 27, 3);
        Search three = search("random", null, "hyperband", 27, 3);

        assertEquals(simulate(one, 1).epochsPerTrial(), simulate(three, 3).epochsPerTrial());
    }

    @Test
    void successiveHalvingPromotesTheBestThirdAtEachRung() {
        Outcome o = simulate(search("random", 9, "successive-halving", 9, 3), 2);
        List<TrialRecord> byValue = new ArrayList<>(o.state().records());
        byValue.sort(Comparator.comparingDouble(r -> value(r, 1)));

        assertEquals(9, o.epochsPerTrial().get(byValue.get(0).id()));
        assertEquals(3, o.epochsPerTrial().get(byValue.get(1).id()));
        assertEquals(3, o.epochsPerTrial().get(byValue.get(2).id()));
        for (TrialRecord r : byValue.subList(3, 9)) assertEquals(1, o.epochsPerTrial().get(r.id()));
    }

    @Test
    void ashaKeepsEveryWorkerBusyUntilTheLastTrialHasStarted() {
        Search asha = search("random", 30, "asha", 9, 3);
        Outcome o = simulate(asha, 3);

        assertEquals(30, o.state().size());
        assertTrue(o.startsDoneAt() > 0);
        assertEquals(0.0, o.idleBeforeLastStart(), "no worker waits while a trial can still start");
        Scheduler.Budget b = asha.scheduler().budget();
        assertTrue(o.state().epochsTrained() >= b.minEpochs() && o.state().epochsTrained() <= b.maxEpochs(),
                o.state().epochsTrained() + " not in " + b);
        assertTrue(o.state().records().stream().allMatch(r -> r.status() == TrialRecord.Status.FINISHED));
    }

    @Test
    void ashaPromotesOnlyFromTheTopThirdOfARungAsItStoodAndEveryFinalTopThirdIsPromoted() {
        Outcome o = simulate(search("random", 27, "asha", 9, 3), 2);
        for (int k = 0; k < 2; k++) {
            int epochs = k == 0 ? 1 : 3;
            List<TrialRecord> rung = o.state().records().stream().filter(r -> r.epochsDone() >= epochs).toList();
            List<TrialRecord> top = Promotion.survivors(rung, rung.size() / 3, r -> r.objectiveAt(epochs), SearchTest.RMSE);
            int next = k == 0 ? 3 : 9;
            for (TrialRecord r : top) assertTrue(r.epochsDone() >= next, r.id() + " in the final top third of rung " + k);
        }
    }

    @Test
    void withOneWorkerTheSameSeedGivesTheSameSearch() {
        assertEquals(simulate(search("random", 20, "asha", 9, 3), 1).log(), simulate(search("random", 20, "asha", 9, 3), 1).log());
    }

    @Test
    void hyperbandWithSeveralWorkersStartsTheNextBracketWhileARungWaits() {
        Outcome o = simulate(search("random", null, "hyperband", 27, 3), 4);
        Outcome serial = simulate(search("random", null, "hyperband", 27, 3), 1);

        assertTrue(o.end() < serial.end() / 2.5, "4 workers " + o.end() + " vs 1 worker " + serial.end());
    }
}
