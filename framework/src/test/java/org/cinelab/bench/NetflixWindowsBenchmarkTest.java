package org.cinelab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class NetflixWindowsBenchmarkTest {
    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new NetflixWindowsBenchmark().run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_small_run_prints_every_stage_with_its_time_and_peak_heap(@TempDir Path dir) throws Exception {
        String out = run("--ratings", "20000", "--dir", dir.toString(), "--top-users", "200", "--top-items", "50", "--window", "5");
        assertTrue(out.contains("generating 20,000 ratings"), out);
        assertTrue(out.matches("(?s).*\\nparse +[0-9.]+ s  peak heap +[0-9,]+ MiB  20,000 ratings.*"), out);
        assertTrue(out.matches("(?s).*\\ntop 200 x 50 .* kept [0-9,]+ ratings, 200 users, 50 items, density .*"), out);
        assertTrue(out.contains("windows (W=5)"), out);
        assertTrue(out.contains("time cut 80/10/10"), out);
        assertTrue(out.contains("max heap (-Xmx)"), out);
        assertTrue(run("--ratings", "20000", "--dir", dir.toString()).startsWith("reusing "));
        assertTrue(Benchmarks.all().stream().anyMatch(b -> b.name().equals("netflix-windows")));
    }

    @Test
    void an_unknown_option_is_rejected_with_the_valid_ones() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("--size", "3"));
        assertTrue(e.getMessage().startsWith("unknown option --size (expected --ratings N"), e.getMessage());
    }
}
