package org.cinelab.spark;

import org.cinelab.runner.TrialState;
import org.cinelab.spark.executor.TaskAttempt;

import java.io.Serializable;

/**
 * What a segment's task sends back to the driver: the trial's state when it ended (paused, finished or
 * failed), the epochs it had before, which attempt ran it where, and the time spent in the task.
 */
record SegmentResult(TrialState state, int epochsBefore, TaskAttempt attempt, long taskMillis) implements Serializable {}
