package org.cinelab.search;

/** A scheduler's answer after a trial reports an epoch (Ray Tune's on_trial_result). */
public enum TrialAction {
    /** Train the next epoch. */
    CONTINUE,
    /** Stop here and keep the checkpoint: the scheduler may resume the trial later. */
    PAUSE,
    /** Train no more: evaluate on test and finish. */
    STOP
}
