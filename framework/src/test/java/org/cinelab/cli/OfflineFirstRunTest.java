package org.cinelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's first command on a machine that cannot download MovieLens (the dataset mirror is a port
 * where nothing listens, so the test does not depend on the network): it says what failed and the
 * ways to get the data, and leaves nothing in the working directory: no tracking store, no cache
 * folder, no lock file.
 */
class OfflineFirstRunTest {
    @TempDir Path tmp;

    @Test
    void theQuickstartWithoutDataSaysWhatFailedAndWhatToDoAndWritesNothing() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.exists(repo.resolve("experiments/quickstart.yaml"))) repo = repo.getParent();
        Files.createDirectories(tmp.resolve("experiments"));
        Files.copy(repo.resolve("experiments/quickstart.yaml"), tmp.resolve("experiments/quickstart.yaml"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        CliProcess.Result r = CliProcess.run(tmp, Map.of("CINELAB_DATASET_MIRROR", "http://127.0.0.1:" + port),
                "run", "experiments/quickstart.yaml");

        assertEquals(1, r.exit(), r.output());
        String out = r.output();
        assertTrue(out.contains("error: cannot download movielens-100k from http://127.0.0.1:" + port + "/ml-100k.zip: the connection to 127.0.0.1:"
                + port + " was refused"), out);
        assertTrue(out.contains("point CINELAB_DATA (or --data-dir) at a folder that already holds ml-100k/"), out);
        assertTrue(out.contains("cinelab datasets import movielens-100k --from ml-100k.zip"), out);
        assertTrue(out.contains("once online, run the command again"), out);
        assertFalse(out.contains("null"), out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("experiments")), left.toList(), "no mlruns, datasets or .cinelab left behind");
        }
    }
}
