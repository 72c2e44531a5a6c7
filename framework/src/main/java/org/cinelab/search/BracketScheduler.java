package org.cinelab.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous successive halving over brackets fixed in advance: {@code none} (one rung),
 * {@code successive-halving} (one bracket) and {@code hyperband} (s_max + 1 brackets). A rung is
 * decided once every trial in it has reached the rung's epochs (or failed, or stopped early): the
 * best n_(i+1) resume, the others finish. Brackets start their trials in order, but a bracket's
 * later rungs do not hold up the next bracket: while a rung waits for its slowest trial, free
 * workers start the next bracket's trials (as Ray Tune's HyperBand does). With one worker this is
 * exactly the bracket-by-bracket, rung-by-rung order of Li et al.
 */
public final class BracketScheduler implements Scheduler {
    private final String name;
    private final List<BracketShape> shapes;
    private final int maxEpochs;

    BracketScheduler(String name, List<BracketShape> shapes) {
        this.name = name;
        this.shapes = List.copyOf(shapes);
        this.maxEpochs = shapes.get(0).rungs().get(shapes.get(0).rungs().size() - 1).epochs();
    }

    @Override
    public String name() { return name; }

    @Override
    public int maxEpochs() { return maxEpochs; }

    @Override
    public int maxTrials() { return shapes.stream().mapToInt(BracketShape::trials).sum(); }

    @Override
    public List<BracketShape> brackets() { return shapes; }

    @Override
    public Budget budget() {
        long epochs = BracketShapes.epochs(shapes);
        return new Budget(epochs, epochs, "which trials are promoted at each rung");
    }

    @Override
    public Decision next(SearchState state) {
        // Brackets in order: a bracket's due decisions first, then its unstarted trials; a later
        // bracket is reached only once every earlier one has started all its trials.
        for (BracketShape shape : shapes) {
            List<TrialRecord> bracket = state.records().stream().filter(r -> r.bracket() == shape.s()).toList();
            Decision d = rungDecision(state, shape, bracket);
            if (d != null) return d;
            if (bracket.size() < shape.trials()) return new Decision.Start(shape.s(), shape.rungs().get(0).epochs());
        }
        boolean busy = state.records().stream().anyMatch(r -> !r.status().isDone());
        return busy ? Decision.WAIT : Decision.DONE;
    }

    /** The next promotion or finish a complete rung of this bracket calls for, or null. */
    private Decision rungDecision(SearchState state, BracketShape shape, List<TrialRecord> bracket) {
        List<Rung> rungs = shape.rungs();
        for (int i = 0; i < rungs.size() - 1; i++) {
            int epochs = rungs.get(i).epochs();
            List<TrialRecord> members = new ArrayList<>();
            for (TrialRecord r : bracket) if (r.target() >= epochs) members.add(r);
            if (i == 0 && members.size() < shape.trials()) return null;
            if (members.isEmpty() || !members.stream().allMatch(r -> settledAt(r, epochs))) return null;
            List<TrialRecord> survivors = Promotion.survivors(members, rungs.get(i + 1).configs(),
                    r -> state.rungValue(r, epochs), state.objective());
            for (TrialRecord r : members) {
                if (r.status() != TrialRecord.Status.PAUSED || r.target() != epochs) continue;
                if (survivors.contains(r) && r.trainable()) return new Decision.Resume(r.id(), rungs.get(i + 1).epochs());
                return new Decision.Finish(r.id(), "stopped by " + name + " at rung " + i + " (" + epochs + " epochs)");
            }
        }
        // A trial paused at the last rung has nothing left but finishing: a state left by an earlier version,
        // whose crash handling paused the other running trials, would otherwise wait here forever.
        int last = rungs.get(rungs.size() - 1).epochs();
        for (TrialRecord r : bracket) {
            if (r.status() == TrialRecord.Status.PAUSED && r.target() == last && r.epochsDone() >= last) {
                return new Decision.Finish(r.id(), "completed " + last + " epochs");
            }
        }
        return null;
    }

    /** Whether a rung member's value at {@code epochs} is final: it is past the rung, paused at it, or trains no more. */
    private static boolean settledAt(TrialRecord r, int epochs) {
        if (r.status() == TrialRecord.Status.RUNNING) return r.target() > epochs && r.epochsDone() >= epochs;
        return true;
    }

    /** {@code scheduler: none}. */
    static SchedulerFactory none() {
        return new Factory("none", "every trial trains for max_epochs", false) {
            public Scheduler create(SearchSettings s, int trials) {
                return new BracketScheduler(name(), BracketShapes.full(trials, s.maxEpochs()));
            }
        };
    }

    /** {@code scheduler: successive-halving}. */
    static SchedulerFactory successiveHalving() {
        return new Factory("successive-halving", "one bracket; the best 1/eta of each rung continue (Jamieson and Talwalkar 2016)", false) {
            public Scheduler create(SearchSettings s, int trials) {
                return new BracketScheduler(name(), BracketShapes.successiveHalving(trials, s.maxEpochs(), s.eta(), s.minEpochs()));
            }
        };
    }

    /** {@code scheduler: hyperband}. */
    static SchedulerFactory hyperband() {
        return new Factory("hyperband", "s_max + 1 successive-halving brackets, each sized by the scheduler (Li et al. 2018)", true) {
            public Scheduler create(SearchSettings s, int ignored) {
                return new BracketScheduler(name(), BracketShapes.hyperband(s.maxEpochs(), s.eta(), s.minEpochs()));
            }
        };
    }

    private abstract static class Factory implements SchedulerFactory {
        private final String name;
        private final String description;
        private final boolean sizesItself;

        Factory(String name, String description, boolean sizesItself) {
            this.name = name;
            this.description = description;
            this.sizesItself = sizesItself;
        }

        public String name() { return name; }

        public String description() { return description; }

        @Override
        public boolean sizesItsOwnTrials() { return sizesItself; }
    }
}
