package org.cinelab.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One execution per state directory, across processes; a lock left by a killed process is taken over. */
class ExecutionLockTest {

    @Test
    void aSecondHolderInAnotherProcessIsRefusedAndToldWhoHoldsIt(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        Process holder = holder(state, tmp);
        try {
            waitFor(() -> Files.exists(state.resolve("lock")) && Files.readString(state.resolve("lock")).contains("pid " + holder.pid()));
            ExecutionLock.HeldException e = assertThrows(ExecutionLock.HeldException.class,
                    () -> ExecutionLock.acquire(state, "cinelab run second.yaml"));
            assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("holder.yaml"), e.getMessage());
            assertTrue(e.getMessage().contains("--state-dir"), e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // SIGKILL released the OS lock; the file still names the dead holder.
        assertTrue(Files.readString(state.resolve("lock")).contains("pid " + holder.pid()));
        try (ExecutionLock lock = ExecutionLock.acquire(state, "cinelab run third.yaml")) {
            assertTrue(lock.previousOwner().contains("pid " + holder.pid()), lock.previousOwner());
            assertTrue(Files.readString(state.resolve("lock")).contains("third.yaml"));
        }
        try (ExecutionLock again = ExecutionLock.acquire(state, "cinelab run fourth.yaml")) {
            assertNull(again.previousOwner(), "a lock released normally leaves no owner behind");
        }
    }

    @Test
    void twoRunnersInOneProcessCannotShareAStateDirectory(@TempDir Path tmp) throws Exception {
        try (ExecutionLock first = ExecutionLock.acquire(tmp, "a")) {
            assertThrows(ExecutionLock.HeldException.class, () -> ExecutionLock.acquire(tmp, "b"));
        }
    }

    @Test
    void aFreshStartClearsTheStateButKeepsTheLock(@TempDir Path tmp) throws Exception {
        try (ExecutionLock lock = ExecutionLock.acquire(tmp, "a")) {
            Files.writeString(tmp.resolve("experiment.json"), "{}");
            Files.createDirectories(tmp.resolve("trials/t001"));
            new StateStore(tmp).clear();
            assertEquals(List.of("lock"), Files.list(tmp).map(p -> p.getFileName().toString()).toList());
        }
    }

    /** A JVM that takes the lock and sleeps: {@link Holder}. */
    private static Process holder(Path state, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), state.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("holder.log").toFile()).start();
    }

    /** Takes the lock of the state directory given as argument and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            ExecutionLock.acquire(Path.of(args[0]), "cinelab run holder.yaml");
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    private interface Check { boolean ok() throws Exception; }

    private static void waitFor(Check c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.ok()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }
}
