package org.cinelab.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * I/O failures told the way a user can act on them: which path, and what went wrong in words
 * ("read-only file system", "no space left on device", "permission denied"), never a Java class name.
 */
public final class IoErrors {
    private IoErrors() {}

    /** {@code e} with {@code path} in its message when it lacks one (a failed write says only "No space left on device"). */
    public static IOException at(Path path, IOException e) {
        String described = describe(e);
        if (e instanceof FileSystemException fse && fse.getFile() != null) return new IOException(described, e);
        return new IOException(path + ": " + described, e);
    }

    /** "path: reason" for file system errors, else the message in words. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fse) {
            String reason = fse.getReason();
            if (reason == null || reason.isBlank()) reason = kind(fse);
            String file = fse.getFile();
            return (file == null ? "" : file + (fse.getOtherFile() == null ? "" : " -> " + fse.getOtherFile()) + ": ")
                    + lowerFirst(reason);
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? kind(e) : lowerFirst(m);
    }

    private static String kind(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied (or a read-only file system)";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof DirectoryNotEmptyException) return "directory not empty";
        return "input/output error";
    }

    private static String lowerFirst(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }
}
