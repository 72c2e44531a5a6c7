package org.cinelab.models.layers;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs work while another thread holds the {@link ComputeLanes} helpers, as a second trial in the process would. */
public final class HeldLanes {
    /** Work that may throw, as a test's body does. */
    public interface Work {
        void run() throws Exception;
    }

    private HeldLanes() {}

    public static void whileHeld(Work work) throws Exception {
        CountDownLatch held = new CountDownLatch(1), done = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            if (!ComputeLanes.tryAcquire(1)) return; // the latch then times out below
            held.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ComputeLanes.awaitAndRelease(1);
            }
        });
        other.start();
        try {
            if (!held.await(30, TimeUnit.SECONDS)) throw new AssertionError("another thread could not take the helpers");
            work.run();
        } finally {
            done.countDown();
            other.join();
        }
    }
}
