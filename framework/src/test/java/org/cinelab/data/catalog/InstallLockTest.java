package org.cinelab.data.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two processes (as two Spark executors on one machine) take turns with the install lock: never both
 * inside at once, and the lock file and its folder are gone afterwards. Each holder marks its turn
 * with a file only one can create; a lock that another process can enter makes the creation fail.
 */
class InstallLockTest {
    @TempDir Path tmp;

    /** A holder process: takes the lock {@code rounds} times, each time creating and removing the marker. */
    public static void main(String[] args) throws Exception {
        Path lockFile = Path.of(args[0]), marker = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        for (int i = 0; i < rounds; i++) {
            try (InstallLock ignored = InstallLock.acquire(lockFile)) {
                try {
                    Files.createFile(marker);
                } catch (FileAlreadyExistsException e) {
                    System.out.println("overlap in round " + i);
                    System.exit(3);
                }
                Thread.sleep(15);
                Files.delete(marker);
            }
            // As the installer does after its lock: the folder goes when it is empty.
            try {
                Files.deleteIfExists(lockFile.getParent());
            } catch (java.nio.file.DirectoryNotEmptyException stillInUse) {
                // the other process's lock file is there
            }
        }
        System.exit(0);
    }

    @Test
    void twoProcessesNeverHoldTheLockAtOnceAndLeaveNothingBehind() throws Exception {
        Path lockFile = tmp.resolve("cache/.downloads/toy.lock");
        Path marker = tmp.resolve("inside");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> holders = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            holders.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), InstallLockTest.class.getName(),
                    lockFile.toString(), marker.toString(), "40").redirectErrorStream(true).start());
        }
        for (Process h : holders) {
            assertTrue(h.waitFor(2, TimeUnit.MINUTES), "a holder hung");
            String out = new String(h.getInputStream().readAllBytes());
            assertEquals(0, h.exitValue(), out);
        }
        assertFalse(Files.exists(lockFile), "the lock file is removed on release");
        assertFalse(Files.exists(lockFile.getParent()), "and its folder");
    }
}
