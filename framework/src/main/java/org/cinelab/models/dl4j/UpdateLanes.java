package org.cinelab.models.dl4j;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Helper threads for the optimiser's element-wise passes ({@link DenseUpdater}), one per BLAS thread
 * beyond the caller's. They are shared by the whole process and taken by one update at a time: when
 * another trial holds them (trials in parallel, each with its own BLAS threads), the caller updates
 * alone rather than wait.
 */
final class UpdateLanes {
    private static final ReentrantLock TAKEN = new ReentrantLock();
    private static Helper[] helpers = new Helper[0];

    private UpdateLanes() {}

    /** Takes {@code count} helpers (starting them the first time), or returns false when another update has them. */
    static boolean tryAcquire(int count) {
        if (!TAKEN.tryLock()) return false;
        synchronized (UpdateLanes.class) {
            if (helpers.length < count) {
                Helper[] more = java.util.Arrays.copyOf(helpers, count);
                for (int i = helpers.length; i < count; i++) {
                    more[i] = new Helper("cinelab-update-" + (i + 1));
                    more[i].start();
                }
                helpers = more;
            }
        }
        return true;
    }

    /** Runs {@code work} on helper {@code i} (taken with {@link #tryAcquire}). */
    static void start(int i, Runnable work) { helpers[i].submit(work); }

    /** Waits for the first {@code count} helpers' work, releases them, and rethrows a helper's failure. */
    static void awaitAndRelease(int count) {
        RuntimeException failure = null;
        try {
            for (int i = 0; i < count; i++) {
                RuntimeException e = helpers[i].await();
                if (failure == null) failure = e;
            }
        } finally {
            TAKEN.unlock();
        }
        if (failure != null) throw failure;
    }

    private static final class Helper extends Thread {
        private final Semaphore started = new Semaphore(0), finished = new Semaphore(0);
        private volatile Runnable work;
        private volatile RuntimeException failure;
        /** Whether work was handed over since the last await (a helper that got none is not waited for). */
        private boolean busy;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(Runnable w) {
            work = w;
            busy = true;
            started.release();
        }

        RuntimeException await() {
            if (!busy) return null;
            busy = false;
            finished.acquireUninterruptibly();
            RuntimeException e = failure;
            failure = null;
            return e;
        }

        @Override
        public void run() {
            while (true) {
                started.acquireUninterruptibly();
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } finally {
                    work = null;
                    finished.release();
                }
            }
        }
    }
}
