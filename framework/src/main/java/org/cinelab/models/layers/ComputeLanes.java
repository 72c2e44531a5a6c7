package org.cinelab.models.layers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Helper threads that share a training step's work with the caller: the halves of a matrix product
 * ({@link SplitGemm}) and the optimiser's element-wise passes ({@code DenseUpdater}), one helper per
 * thread beyond the caller's. They are shared by the whole process and taken by one piece of work at
 * a time: when another trial holds them (trials in parallel), the caller works alone rather than wait.
 *
 * <p>A helper waits for work by spinning for a short while before it parks: a step gives it one
 * product after another, a few to a few hundred microseconds apart, and waking a parked thread costs
 * tens of microseconds. Past the first 20 µs it spins by yielding, so another busy process gets the core
 * back at once (beside one, 2-thread ranking trained at 518-550 thousand ratings/s against 265-316
 * thousand with a plain spin; no difference measured on a quiet machine). Spinning is bounded, so an
 * idle process does not burn a core.
 *
 * <p>Work a helper has not started can be taken back ({@link #cancel}): when another process has the
 * helper's core, the caller computes that block itself instead of waiting for the scheduler to run the
 * helper (a time slice, milliseconds, for a block of microseconds: with one busy process beside it, a
 * 2-thread ranking model trained at 131 thousand ratings/s against 571 thousand on 1 thread).
 */
public final class ComputeLanes {
    /** How long a thread spins for work or completion before it parks; longer than the gaps inside a step. */
    private static final long SPIN_NANOS = 200_000;
    /** After this long a waiting helper yields between looks instead of pausing. */
    private static final long YIELD_AFTER_NANOS = 20_000;
    private static final ReentrantLock TAKEN = new ReentrantLock();
    private static volatile Helper[] helpers = new Helper[0];

    private ComputeLanes() {}

    /**
     * Takes {@code count} helpers (starting them the first time), or returns false when other work has them,
     * including the caller's own outer pass: a pass run inside another's range must not hand work to a
     * helper that may be busy with the outer pass (the lock alone is reentrant).
     */
    public static boolean tryAcquire(int count) {
        if (TAKEN.isHeldByCurrentThread() || !TAKEN.tryLock()) return false;
        if (helpers.length < count) {
            Helper[] more = java.util.Arrays.copyOf(helpers, count);
            for (int i = helpers.length; i < count; i++) {
                more[i] = new Helper("cinelab-lane-" + (i + 1));
                more[i].start();
            }
            helpers = more;
        }
        return true;
    }

    /** Runs {@code work} on helper {@code i} (taken with {@link #tryAcquire}). */
    public static void start(int i, Runnable work) { helpers[i].submit(work); }

    /**
     * Takes back helper {@code i}'s work if the helper has not started it: true means it never will, and
     * the caller must do it; false means the helper has started it (or finished), to be awaited as usual.
     */
    public static boolean cancel(int i) { return helpers[i].cancel(); }

    /** Waits for the first {@code count} helpers' work, releases them, and rethrows a helper's failure. */
    public static void awaitAndRelease(int count) {
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
        /** A submission's state: SUBMITTED, then STARTED (by the helper) or CANCELLED (by the caller), then DONE. */
        private static final int IDLE = 0, SUBMITTED = 1, STARTED = 2, CANCELLED = 3, DONE = 4;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Helper.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile int state = IDLE;
        /** The submitted work; written before {@code state} becomes SUBMITTED, read after the helper's STARTED. */
        private Runnable work;
        private volatile boolean parked;
        /** The thread parked in {@link #await}, to be woken when the work is done. */
        private volatile Thread waiter;
        private volatile RuntimeException failure;
        /** Whether work was handed over since the last await (a helper that got none is not waited for). */
        private boolean busy;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(Runnable w) {
            busy = true;
            work = w;
            state = SUBMITTED;
            if (parked) LockSupport.unpark(this);
        }

        boolean cancel() { return busy && STATE.compareAndSet(this, SUBMITTED, CANCELLED); }

        RuntimeException await() {
            if (!busy) return null;
            busy = false;
            long start = System.nanoTime();
            int s;
            while ((s = state) != DONE && s != CANCELLED) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if ((s = state) != DONE && s != CANCELLED) LockSupport.park(this);
                    waiter = null;
                }
            }
            RuntimeException e = failure;
            failure = null;
            return e;
        }

        @Override
        public void run() {
            while (true) {
                awaitSubmission();
                // the caller may have taken the work back meanwhile; then it is not ours to run
                if (!STATE.compareAndSet(this, SUBMITTED, STARTED)) continue;
                Runnable w = work;
                try {
                    w.run();
                } catch (RuntimeException | Error e) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } finally {
                    work = null;
                    state = DONE;
                    Thread t = waiter;
                    if (t != null) LockSupport.unpark(t);
                }
            }
        }

        private void awaitSubmission() {
            long start = System.nanoTime();
            while (state != SUBMITTED) {
                long waited = System.nanoTime() - start;
                if (waited < YIELD_AFTER_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < SPIN_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    if (state != SUBMITTED) LockSupport.park(this);
                    parked = false;
                    start = System.nanoTime();
                }
            }
        }
    }
}
