package org.cinelab.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Samples used heap every few milliseconds on a daemon thread and keeps the largest value seen. */
final class HeapPeak extends Thread {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;

    HeapPeak() {
        super("heap-peak-sampler");
        setDaemon(true);
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The peak so far, then starts a new peak from the current use. */
    long takePeak() {
        sample();
        return peak.getAndSet(usedHeap());
    }

    void halt() throws InterruptedException {
        running = false;
        join();
    }

    private void sample() {
        peak.accumulateAndGet(usedHeap(), Math::max);
    }
}
