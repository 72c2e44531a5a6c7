package org.cinelab.tracking;

import java.io.IOException;
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
final class AtomicFiles {
    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content} in one rename. */
    static void replace(Path target, byte[] content, Path tempDir) throws IOException {
        Path temp = writeTemp(content, tempDir);
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

    /** Moves a local file's copy into place in one rename (artifacts). */
    static void copyReplacing(Path source, Path target, Path tempDir) throws IOException {
        Path temp = tempDir.resolve(tempName());
        try {
            Files.copy(source, temp);
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
    static Optional<byte[]> createIfAbsent(Path target, byte[] content, Path tempDir) throws IOException {
        Path temp = writeTemp(content, tempDir);
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
        Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return temp;
    }

    private static String tempName() {
        return ".cinelab-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }
}
