package org.cinelab.spark;

import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one piece of work (a trial segment) as its own one-task Spark job and hands back a future.
 * Each job completes on its own, so the driver can act on every result as it arrives: there is no
 * stage that waits for its slowest task. Spark schedules concurrent jobs FIFO onto free executor
 * cores; a job's task is retried by Spark on failure ({@code spark.task.maxFailures}).
 */
public final class SparkTasks implements AutoCloseable {
    /** Work that runs on an executor; it and what it captures travel there by Java serialization. */
    @FunctionalInterface
    public interface Work<T> extends Serializable {
        T run() throws Exception;
    }

    private final JavaSparkContext sc;
    /** One thread per running job waits for it (Spark's futures cannot call back). */
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cinelab-spark-job-waiter");
        t.setDaemon(true);
        return t;
    });

    public SparkTasks(JavaSparkContext sc) { this.sc = sc; }

    /**
     * Submits {@code work} as a job named {@code description} (shown in the Spark UI) and returns at once.
     * The future fails with Spark's exception when every attempt of the task failed.
     */
    public <T> CompletableFuture<T> submit(String description, Work<T> work) {
        JavaFutureAction<List<T>> job;
        synchronized (sc) {
            // Job properties are per submitting thread; set and submit together.
            sc.setJobDescription(description);
            job = sc.parallelize(List.of(0), 1).map(ignored -> work.run()).collectAsync();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        waiters.execute(() -> {
            try {
                result.complete(job.get().get(0));
            } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause());
            } catch (InterruptedException e) {
                job.cancel(true);
                result.completeExceptionally(e);
                Thread.currentThread().interrupt();
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) job.cancel(true);
        });
        return result;
    }

    @Override
    public void close() {
        waiters.shutdownNow();
    }
}
