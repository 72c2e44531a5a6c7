package org.cinelab.spark.executor;

import org.cinelab.io.AtomicFiles;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proof that a directory the driver uses (a file-store tracking root, a shared data dir, a
 * {@code file:} state dir) is the same directory on an executor: the driver writes a file with a
 * random token into it, and an executor checks that it reads the same token at the same path. The
 * check runs once per executor JVM and directory.
 *
 * @param dir   the directory, as an absolute path
 * @param what  what the directory is for, in messages ("the MLflow file store")
 * @param fix   what to do when it is not shared, in messages
 * @param token the marker's content, or null for a directory taken on trust ({@link #trusted})
 */
public record SharedPathProbe(String dir, String what, String fix, String token, String driverHost) implements Serializable {
    private static final String PREFIX = ".cinelab-probe-";
    private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

    /** On the driver: writes the probe file into {@code dir} (created if missing). */
    public static SharedPathProbe create(Path dir, String what, String fix) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        String token = UUID.randomUUID().toString();
        SharedPathProbe probe = new SharedPathProbe(abs.toString(), what, fix, token, Hosts.name());
        AtomicFiles.write(probe.file(), out -> out.write(token.getBytes(StandardCharsets.UTF_8)));
        return probe;
    }

    /**
     * A directory used without a marker: on the driver's own machine ({@code local}, {@code local-cluster}
     * masters), or a read-only mount the driver cannot write a marker into (then the data's split id,
     * compared on every executor, still proves that executors read the driver's rows).
     */
    public static SharedPathProbe trusted(Path dir, String what) {
        return new SharedPathProbe(dir.toAbsolutePath().normalize().toString(), what, "", null, Hosts.name());
    }

    /**
     * On an executor: returns when this JVM sees the driver's probe file.
     *
     * @throws SharedStorageException naming the directory, both hosts and the fix
     */
    public void verify() throws SharedStorageException {
        if (token == null) return;
        if (VERIFIED.contains(dir + "\u0000" + token)) return;
        String seen;
        try {
            seen = Files.readString(file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            seen = null;
        } catch (IOException e) {
            throw new SharedStorageException(what + " " + dir + " cannot be read on executor host " + Hosts.name() + " ("
                    + e.getMessage() + "); " + fix, e);
        }
        if (!token.equals(seen)) {
            throw new SharedStorageException(what + " " + dir + " is not the same directory on executor host " + Hosts.name()
                    + " as on the driver (" + driverHost + "): the driver's marker file " + file().getFileName()
                    + (seen == null ? " is missing there" : " has other content there") + ". " + fix);
        }
        VERIFIED.add(dir + "\u0000" + token);
    }

    /** On the driver, when the run ends. */
    public void delete() throws IOException {
        if (token != null) Files.deleteIfExists(file());
    }

    private Path file() { return Path.of(dir).resolve(PREFIX + token); }
}
