package org.cinelab.data.catalog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that lets one installer at a time work on a dataset in a cache, across threads and
 * processes (e.g. two Spark tasks in one executor, or two executors on one machine): an in-JVM lock
 * per lock file, then an OS lock on it. Java's file locks belong to the whole JVM, so a second
 * thread asking for the OS lock alone would fail instead of waiting.
 *
 * <p>The lock file is deleted on release, so nothing stays in the cache. A process waiting for the
 * OS lock may then hold it on the deleted file while a third one creates a new file: so a holder
 * checks that the path still names the file it locked, by comparing the file keys (device and
 * inode) that {@code stat} gives for the path before opening, after opening and after locking. The
 * check never opens the file again: on Linux, closing any descriptor of a file releases every
 * POSIX lock the process holds on it (reading a token back through the path did exactly that, and
 * two executors downloaded one dataset at once).
 */
final class InstallLock implements AutoCloseable {
    private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock inJvm;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock osLock;

    private InstallLock(ReentrantLock inJvm, Path lockFile, FileChannel channel, FileLock osLock) {
        this.inJvm = inJvm;
        this.lockFile = lockFile;
        this.channel = channel;
        this.osLock = osLock;
    }

    /** Blocks until this thread holds the lock of {@code lockFile} (its folder is made); close the result to release it. */
    static InstallLock acquire(Path lockFile) throws IOException {
        ReentrantLock inJvm = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        inJvm.lock();
        try {
            while (true) {
                try {
                    Files.createDirectories(lockFile.getParent());
                    if (!Files.exists(lockFile)) {
                        // Made and closed before any lock is held here (the in-JVM lock keeps this JVM's other threads out).
                        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
                    }
                } catch (FileAlreadyExistsException | NoSuchFileException removedMeanwhile) {
                    continue; // another installer removed the empty folder or the file just now
                }
                Object before = fileKey(lockFile);
                if (before == null) continue;
                FileChannel channel;
                try {
                    channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                }
                try {
                    if (!before.equals(fileKey(lockFile))) {
                        channel.close();
                        continue;
                    }
                    FileLock osLock = channel.lock();
                    // The open descriptor keeps its inode allocated, so an equal key means the path names our file.
                    if (before.equals(fileKey(lockFile))) return new InstallLock(inJvm, lockFile, channel, osLock);
                    osLock.release();
                    channel.close();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            inJvm.unlock();
            throw e;
        }
    }

    /** Device and inode of the file {@code path} names (a {@code stat}, no descriptor opened), or null when there is none. */
    private static Object fileKey(Path path) throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            if (key == null) throw new IOException("the file system of " + path + " has no file keys; the install lock needs them");
            return key;
        } catch (NoSuchFileException deleted) {
            return null;
        }
    }

    /** Deletes the lock file, then releases the lock (in that order: see the class comment). */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(lockFile);
        } finally {
            try {
                osLock.release();
                channel.close();
            } finally {
                inJvm.unlock();
            }
        }
    }
}
