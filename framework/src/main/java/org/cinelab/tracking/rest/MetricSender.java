package org.cinelab.tracking.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.cinelab.io.UserMessages;
import org.cinelab.tracking.MetricPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes metric points from training threads without waiting and delivers them from one background
 * thread, as few large batches as the queue allows (everything queued since the last delivery,
 * grouped by run, in logging order). {@link #flush()} waits until every point submitted before it
 * has been delivered, and reports a delivery that failed.
 */
final class MetricSender implements AutoCloseable {
    /** Where batches go: the server, or the spool when the server is down. */
    interface Sink {
        void deliver(String runId, List<MetricPoint> points) throws IOException;
    }

    private static final int MAX_DRAIN = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(MetricSender.class);

    private record Item(long seq, String runId, MetricPoint point) {}

    private final Sink sink;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private final Thread thread;
    private long submitted;
    private long delivered;
    private IOException failure;
    private volatile boolean closed;

    MetricSender(Sink sink) {
        this.sink = sink;
        this.thread = new Thread(this::loop, "cinelab-mlflow-sender");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(String runId, List<MetricPoint> points) {
        if (points.isEmpty()) return;
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("the tracker is closed; metrics can no longer be logged");
            for (MetricPoint p : points) queue.add(new Item(++submitted, runId, p));
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every point submitted so far is delivered; rethrows the first delivery failure since the last flush. */
    void flush() throws IOException {
        lock.lock();
        try {
            long target = submitted;
            while (delivered < target && thread.isAlive()) progressed.awaitUninterruptibly();
            if (failure != null) {
                IOException f = failure;
                failure = null;
                throw new IOException(f.getMessage(), f);
            }
        } finally {
            lock.unlock();
        }
    }

    long pending() {
        lock.lock();
        try {
            return submitted - delivered;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        List<Item> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (closed && queue.isEmpty()) return;
                continue;
            }
            queue.drainTo(batch, MAX_DRAIN);
            Map<String, List<MetricPoint>> byRun = new LinkedHashMap<>();
            for (Item item : batch) byRun.computeIfAbsent(item.runId(), k -> new ArrayList<>()).add(item.point());
            for (Map.Entry<String, List<MetricPoint>> run : byRun.entrySet()) {
                try {
                    sink.deliver(run.getKey(), run.getValue());
                } catch (IOException | RuntimeException e) {
                    LOG.error("Could not deliver {} metric point(s) of run {}: {}", run.getValue().size(), run.getKey(),
                            e.getMessage());
                    recordFailure(e instanceof IOException io ? io : new IOException(UserMessages.of(e), e));
                }
            }
            long last = batch.get(batch.size() - 1).seq();
            batch.clear();
            lock.lock();
            try {
                delivered = last;
                progressed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void recordFailure(IOException e) {
        lock.lock();
        try {
            if (failure == null) failure = e;
        } finally {
            lock.unlock();
        }
    }

    /** Delivers what is queued, then stops the thread. */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
            thread.interrupt();
        }
    }
}
