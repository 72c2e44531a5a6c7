package org.cinelab.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real full and read-only directories for failure tests: a small tmpfs mounted on a test folder
 * (root with mount rights, as on the project's Linux machines and CI). Where mounting is not
 * allowed the test is skipped with a message (and, under CI=true, the CI script fails on skips).
 */
public final class Mounts implements AutoCloseable {
    private final Path dir;

    private Mounts(Path dir) { this.dir = dir; }

    /** A tmpfs of {@code kilobytes} KiB on {@code dir} (created); writes beyond it fail with "No space left on device". */
    public static Mounts full(Path dir, int kilobytes) throws Exception {
        return mount(dir, "size=" + kilobytes + "k");
    }

    /** An empty tmpfs on {@code dir} (created), mounted read-only. */
    public static Mounts readOnly(Path dir) throws Exception {
        Mounts m = mount(dir, "size=1m");
        remountReadOnly(dir);
        return m;
    }

    /** Makes a mounted tmpfs read-only, keeping what was written to it. */
    public static void remountReadOnly(Path dir) throws Exception {
        if (run("mount", "-o", "remount,ro", dir.toString()) != 0) throw new IllegalStateException("remount ro failed: " + dir);
    }

    /** Grows (or shrinks) a mounted tmpfs, keeping its content: room again after a full disk. */
    public static void resize(Path dir, int kilobytes) throws Exception {
        if (run("mount", "-o", "remount,size=" + kilobytes + "k", dir.toString()) != 0) {
            throw new IllegalStateException("remount failed: " + dir);
        }
    }

    private static Mounts mount(Path dir, String options) throws Exception {
        Files.createDirectories(dir);
        int rc = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        Assumptions.assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root with mount rights): skipping");
        return new Mounts(dir);
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
    }
}
