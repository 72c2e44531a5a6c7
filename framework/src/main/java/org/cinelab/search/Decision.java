package org.cinelab.search;

/** What a {@link Scheduler} tells a free worker to do next (Ray Tune's choose_trial_to_run). */
public sealed interface Decision {

    /** Start a new trial (the sampler chooses its values) in {@code bracket}, training to {@code target} epochs. */
    record Start(int bracket, int target) implements Decision {}

    /** Continue a paused trial from its checkpoint up to {@code target} epochs. */
    record Resume(String trialId, int target) implements Decision {}

    /** A paused trial trains no more: evaluate it on test and close its run. */
    record Finish(String trialId, String reason) implements Decision {}

    /** Nothing to start now; a running trial's next result may change that. */
    record Wait() implements Decision {}

    /** The search is complete. */
    record Done() implements Decision {}

    Decision WAIT = new Wait();
    Decision DONE = new Done();
}
