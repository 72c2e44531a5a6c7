package org.cinelab.runner;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT/SIGTERM) runs the JVM's shutdown hooks while the other threads go on, and the JVM
 * halts when the hooks return. The hook asks every trial to stop at its next epoch boundary and waits
 * for the runner's thread to mark the open runs KILLED and print how to continue. A trial past its last
 * epoch (evaluating, logging its artifacts) reaches no boundary: if the runner is not done within the
 * grace period, the hook closes the open runs itself, so none is left RUNNING when the JVM halts.
 */
final class Interruption {
    static final long GRACE_SECONDS = 30;

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean fired;
    final Thread hook;

    /**
     * @param requestStop   asks the trials to stop at their next epoch boundary
     * @param graceMillis   how long the runner gets to close its runs itself
     * @param ifStillRunning closes the open runs KILLED and says how to continue, when the runner did not
     */
    Interruption(Runnable requestStop, long graceMillis, Runnable ifStillRunning) {
        this.hook = new Thread(() -> {
            fired = true;
            System.err.printf("%nStopping: each running trial stops at its next epoch end (a trial past its last one is given %d s).%n",
                    TimeUnit.MILLISECONDS.toSeconds(graceMillis));
            requestStop.run();
            try {
                if (!done.await(graceMillis, TimeUnit.MILLISECONDS)) ifStillRunning.run();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "cinelab-interrupt");
    }

    /**
     * Ctrl-C came: a failure from here on is the shutdown's doing (the JVM refuses new hooks, files
     * marked delete-on-exit, class loading), not the run's, and the run ends KILLED and resumable.
     */
    boolean fired() { return fired || jvmShuttingDown(); }

    /**
     * True once the JVM has begun to shut down, which is before this hook's thread runs: a failure in
     * between (ImageIO refused its temporary file) must not read as the run's own.
     */
    static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe); // refused once shutdown has begun
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    /** The runner has closed its runs (finished, failed or killed): the hook has nothing left to do. */
    void done() { done.countDown(); }
}
