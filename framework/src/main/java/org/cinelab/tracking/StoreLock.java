package org.cinelab.tracking;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store-wide lock that serialises read-check-write sequences (experiment creation, meta.yaml
 * rewrites) across threads and processes: an in-JVM reentrant lock per root plus an OS lock on the
 * plain file {@code <root>/.cinelab.lock}. It is a file, not a directory, because MLflow takes every
 * sub-directory of the root for an experiment.
 */
final class StoreLock implements AutoCloseable {
    static final String FILE_NAME = ".cinelab.lock";

    private static final ConcurrentMap<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock inJvm = new ReentrantLock();
    private FileChannel channel;
    private FileLock osLock;

    private StoreLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** Blocks until this thread holds the lock of {@code root}; close the result to release it. */
    static StoreLock acquire(Path root) throws IOException {
        StoreLock lock = LOCKS.computeIfAbsent(root, r -> new StoreLock(r.resolve(FILE_NAME)));
        lock.lock();
        return lock;
    }

    private void lock() throws IOException {
        inJvm.lock();
        if (inJvm.getHoldCount() > 1) return;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            osLock = channel.lock();
        } catch (IOException | RuntimeException e) {
            closeChannel();
            inJvm.unlock();
            throw new IOException("could not lock " + (e instanceof IOException io ? org.cinelab.io.IoErrors.describe(io) : lockFile + ": " + e.getMessage()), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (!inJvm.isHeldByCurrentThread()) throw new IllegalStateException("store lock not held by this thread");
        try {
            if (inJvm.getHoldCount() == 1) {
                if (osLock != null) osLock.release();
                closeChannel();
            }
        } finally {
            inJvm.unlock();
        }
    }

    private void closeChannel() throws IOException {
        osLock = null;
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }
}
