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
import java.util.UUID;

/**
 * One process (and one thread) at a time downloads a dataset: an exclusive lock on {@code <folder>.lock} in the
 * download folder. The file is deleted on release, so nothing stays behind; since a waiting process
 * may then hold a lock on the deleted file while a third one creates a new file, each holder writes
 * a token into the file it locked and reads it back through the path: a mismatch means the path now
 * names another file, and it tries again.
 */
final class DownloadLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DownloadLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    static DownloadLock acquire(Path file) throws IOException {
        while (true) {
            Files.createDirectories(file.getParent());
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException folderJustRemoved) {
                continue; // another process removed the empty download folder after its download
            }
            try {
                FileLock lock = lockOrNull(channel);
                if (lock == null) {
                    channel.close();
                    continue;
                }
                byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(token), 0);
                if (stillNamesOurFile(file, token)) return new DownloadLock(file, channel, lock);
                lock.release();
                channel.close();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    /** Blocks for a lock held by another process; null when a thread of this JVM holds it (retried after a pause). */
    private static FileLock lockOrNull(FileChannel channel) throws IOException {
        try {
            return channel.lock();
        } catch (java.nio.channels.OverlappingFileLockException heldInThisJvm) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the download lock " + channel);
            }
            return null;
        }
    }

    private static boolean stillNamesOurFile(Path file, byte[] token) throws IOException {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(file), token);
        } catch (NoSuchFileException deleted) {
            return false;
        }
    }

    /** Deletes the lock file, then releases it (in that order: see the class comment). */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
