package org.cinelab.data.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
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
 * OS lock may then hold it on the deleted file while a third one creates a new file: so each holder
 * writes a token into the file it locked and reads it back through the path; a mismatch means the
 * path now names another file, and it tries again.
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
                } catch (java.nio.file.FileAlreadyExistsException removedWhileCreated) {
                    continue; // another installer removed the empty folder between its creation and the check
                }
                FileChannel channel;
                try {
                    channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (NoSuchFileException folderJustRemoved) {
                    continue; // another process removed the empty download folder after its install
                }
                try {
                    FileLock osLock = channel.lock();
                    byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(token), 0);
                    if (stillNamesOurFile(lockFile, token)) return new InstallLock(inJvm, lockFile, channel, osLock);
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

    private static boolean stillNamesOurFile(Path lockFile, byte[] token) throws IOException {
        try {
            return Arrays.equals(Files.readAllBytes(lockFile), token);
        } catch (NoSuchFileException deleted) {
            return false;
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
