package org.cinelab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetflixParseBenchmarkTest {
    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new NetflixParseBenchmark().run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSmallRunGeneratesOnceThenReusesTheFileAndPrintsItsFigures(@TempDir Path dir) throws Exception {
        String first = run("--ratings", "2000", "--dir", dir.toString(), "--threads", "2");
        assertTrue(first.contains("generating 2,000 ratings"), first);
        assertTrue(first.contains("parsed 2,000 ratings"), first);
        assertTrue(first.contains("ratings/s") && first.contains("peak heap used"), first);
        String second = run("--ratings", "2000", "--dir", dir.toString());
        assertTrue(second.startsWith("reusing "), second);
        assertEquals("netflix-parse", new NetflixParseBenchmark().name());
    }

    @Test
    void anUnknownOptionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("--size", "3"));
        assertEquals("unknown option --size (expected --ratings N, --dir DIR, --threads T)", e.getMessage());
    }
}
