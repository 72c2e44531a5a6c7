package org.cinelab.spark.executor;

import org.apache.spark.TaskContext;

import java.io.Serializable;

/**
 * Which attempt of a Spark task this is. Spark re-runs a task whose executor was lost or that threw,
 * up to {@code spark.task.maxFailures} attempts in all; attempt 0 is the first. A retried trial segment
 * resumes from its last checkpoint and skips the steps the tracker already holds.
 *
 * @param attemptNumber 0 for the first attempt, 1 for the first retry, ...
 * @param taskAttemptId Spark's id of this attempt, unique within the application
 * @param executorId    the executor that runs it ({@code driver} in local mode)
 */
public record TaskAttempt(int stageId, int partitionId, int attemptNumber, long taskAttemptId, String executorId, String host)
        implements Serializable {

    /** The attempt running on this thread; fails outside a Spark task. */
    public static TaskAttempt current() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) throw new IllegalStateException("not inside a Spark task");
        String executorId = org.apache.spark.SparkEnv.get() == null ? "?" : org.apache.spark.SparkEnv.get().executorId();
        return new TaskAttempt(ctx.stageId(), ctx.partitionId(), ctx.attemptNumber(), ctx.taskAttemptId(), executorId, Hosts.name());
    }

    public boolean isRetry() { return attemptNumber > 0; }
}
