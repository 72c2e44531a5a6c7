package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cinelab.testsupport.CineLabProcess;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cinelab sync} removes CineLab's own spool for the target server once it is delivered, and
 * never a store of the user's: run as a process, with the spool folder from {@code CINELAB_SPOOL_DIR}.
 */
class SyncSpoolCommandTest {
    @TempDir
    Path tmp;

    private static void finishedRun(Path store, String experiment) throws Exception {
        try (MlflowFileStore s = new MlflowFileStore(store)) {
            String run = s.createRun(s.getOrCreateExperiment(experiment, Map.of()), "r", 1000L, Map.of());
            s.setRunStatus(run, RunStatus.FINISHED, 2000L);
        }
    }

    private String sync(Path store, String uri) throws Exception {
        ProcessBuilder pb = CineLabProcess.builder(tmp, "1g", List.of("sync", store.toString(), "--to", uri));
        pb.environment().put("CINELAB_SPOOL_DIR", tmp.resolve("spool").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void the_spool_of_the_target_server_goes_once_synced_and_a_users_store_stays() throws Exception {
        finishedRun(tmp.resolve("spool"), "spooled");
        finishedRun(tmp.resolve("mlruns"), "laptop");
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            String spoolOut = sync(tmp.resolve("spool"), fake.uri());
            assertTrue(spoolOut.contains("Spool " + tmp.resolve("spool") + ": removed."), spoolOut);
            assertFalse(Files.exists(tmp.resolve("spool")));
            assertEquals(1, fake.runIds(fake.experimentId("spooled")).size());

            String storeOut = sync(tmp.resolve("mlruns"), fake.uri());
            assertFalse(storeOut.contains("Spool"), storeOut);
            assertTrue(Files.isDirectory(tmp.resolve("mlruns")));
            assertEquals(1, fake.runIds(fake.experimentId("laptop")).size());
        }
    }
}
