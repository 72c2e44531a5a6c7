package org.cinelab.data.catalog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that lets one installer at a time work on a dataset in a cache, across threads and
 * processes (e.g. two Spark tasks in one executor, or two executors on one machine): an in-JVM lock
 * per lock file, then an OS lock on it. Java's file locks belong to the whole JVM, so a second
 * thread asking for the OS lock alone would fail instead of waiting.
 */
final class InstallLock implements AutoCloseable {
    private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock inJvm;
    private final FileChannel channel;
    private final FileLock osLock;

    private InstallLock(ReentrantLock inJvm, FileChannel channel, FileLock osLock) {
        this.inJvm = inJvm;
        this.channel = channel;
        this.osLock = osLock;
    }

    /** Blocks until this thread holds the lock of {@code lockFile}; close the result to release it. */
    static InstallLock acquire(Path lockFile) throws IOException {
        ReentrantLock inJvm = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        inJvm.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new InstallLock(inJvm, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            inJvm.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            osLock.release();
            channel.close();
        } finally {
            inJvm.unlock();
        }
    }
}
