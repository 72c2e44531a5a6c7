package org.cinelab.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that readers never see half done: content goes to a temp file (a plain file in
 * a directory MLflow does not list as content, e.g. the run directory) and is then renamed or linked
 * into place.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content} in one rename. */
    public static void replace(Path target, byte[] content, Path tempDir) throws IOException {
        try {
            moveIntoPlace(writeTemp(content, tempDir), target);
        } catch (IOException e) {
            throw IoErrors.at(target, e);
        }
    }

    /** Moves a local file's copy into place in one rename (artifacts). */
    public static void copyReplacing(Path source, Path target, Path tempDir) throws IOException {
        Path temp = tempDir.resolve(tempName());
        try {
            Files.copy(source, temp);
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw IoErrors.at(target, e);
        }
    }

    /** Content written by {@code writer} replaces {@code target} in one rename; the temp file sits beside it. */
    public static void write(Path target, StreamWriter writer) throws IOException {
        Path temp = target.getParent().resolve(tempName());
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW))) {
                writer.write(out);
            }
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw IoErrors.at(target, e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a read-only directory cannot have the temp file either
        }
    }

    /** Writes a file's content to a stream. */
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Renames {@code temp} over {@code target} (atomically where the file system can); never leaves {@code temp} behind. */
    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates {@code target} with {@code content} unless it exists, atomically even against other
     * processes (a hard link fails if the name is taken; without hard links, a rename that may race).
     *
     * @return the existing content when the file was already there, else empty
     */
    public static Optional<byte[]> createIfAbsent(Path target, byte[] content, Path tempDir) throws IOException {
        Path temp;
        try {
            temp = writeTemp(content, tempDir);
        } catch (IOException e) {
            throw IoErrors.at(target, e);
        }
        try {
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                Files.move(temp, target);
            }
            return Optional.empty();
        } catch (FileAlreadyExistsException e) {
            return Optional.of(Files.readAllBytes(target));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path writeTemp(byte[] content, Path tempDir) throws IOException {
        Path temp = tempDir.resolve(tempName());
        try {
            Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw e;
        }
        return temp;
    }

    private static String tempName() {
        return ".cinelab-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }
}
