package org.cinelab.spark.executor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ExecutorTrackingTest {
    @TempDir Path tmp;

    @Test
    void aFileStoreIsFineWhenEveryExecutorRunsOnThisMachine() throws Exception {
        for (String master : new String[] {"local", "local[2]", "local[2,4]", "local[*]", "local-cluster[2,1,1024]"}) {
            TrackingTarget t = ExecutorTracking.plan(tmp.resolve("mlruns").toString(), master, false);
            assertNull(t.fileStoreProbe(), master);
        }
    }

    @Test
    void aFileStoreWithAClusterMasterIsRefusedBeforeAnyWorkAndTheMessageSaysWhatWorks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorTracking.plan(tmp.resolve("mlruns").toString(), "spark://master:7077", false));
        assertTrue(e.getMessage().contains("spark://master:7077") && e.getMessage().contains("http://host:5000")
                && e.getMessage().contains("--shared-file-store"), e.getMessage());
    }

    @Test
    void aLoopbackServerWithAClusterMasterIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorTracking.plan("http://localhost:5000", "k8s://https://api:6443", false));
        assertTrue(e.getMessage().contains("localhost") && e.getMessage().contains("http://mlflow:5000"), e.getMessage());
        assertNull(assertDoesNotThrow(() -> ExecutorTracking.plan("http://mlflow:5000", "spark://master:7077", false)).fileStoreProbe());
    }

    @Test
    void aDeclaredSharedFileStoreIsProvedOnEachExecutor() throws Exception {
        Path store = tmp.resolve("shared/mlruns");
        TrackingTarget t = ExecutorTracking.plan(store.toString(), "spark://master:7077", true);
        assertNotNull(t.fileStoreProbe());
        t.fileStoreProbe().verify();

        // What an executor on a machine without the mount sees: the directory, but not the driver's marker.
        SharedPathProbe elsewhere = new SharedPathProbe(tmp.resolve("other").toString(), "the MLflow file store", "Mount it.",
                t.fileStoreProbe().token(), "driver-host");
        Files.createDirectories(tmp.resolve("other"));
        SharedStorageException e = assertThrows(SharedStorageException.class, elsewhere::verify);
        assertTrue(e.getMessage().contains(tmp.resolve("other").toString()) && e.getMessage().contains("driver-host")
                && e.getMessage().contains("Mount it."), e.getMessage());
    }
}
