package org.cinelab.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code .ci/check-no-skips}, the gate that makes CI fail when a test was skipped, on surefire reports made here. */
class CiScriptTest {
    @TempDir Path tmp;

    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve(".ci/check-no-skips"))) dir = dir.getParent();
        return dir.resolve(".ci/check-no-skips");
    }

    private void report(String suite, int tests, int skipped) throws Exception {
        Files.writeString(tmp.resolve("TEST-" + suite + ".xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="3.0.2" name="%s" time="0.3" tests="%d" errors="0" skipped="%d" failures="0">
                  <properties><property name="skipped" value="7"/></properties>
                </testsuite>
                """.formatted(suite, tests, skipped));
    }

    private record Run(int exit, String output) {}

    private Run check() throws Exception {
        Process p = new ProcessBuilder("bash", script().toString(), tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        return new Run(p.exitValue(), out);
    }

    @Test
    void passesWhenEveryTestRan() throws Exception {
        report("org.cinelab.a.ATest", 3, 0);
        report("org.cinelab.b.BTest", 2, 0);
        Run r = check();
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("all 5 test(s) ran (2 suites), none skipped"), r.output());
    }

    @Test
    void failsNamingTheSuitesWithSkippedTests() throws Exception {
        report("org.cinelab.a.ATest", 3, 0);
        report("org.cinelab.data.MovieLensLatestSmallTest", 2, 2);
        Run r = check();
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("2 of 5 test(s) skipped"), r.output());
        assertTrue(r.output().contains("org.cinelab.data.MovieLensLatestSmallTest: 2"), r.output());
    }

    @Test
    void readsEveryDirectoryItIsGiven() throws Exception {
        report("org.cinelab.a.ATest", 3, 0);
        Path other = java.nio.file.Files.createDirectories(tmp.resolve("spark"));
        Files.writeString(other.resolve("TEST-org.cinelab.spark.LocalModeTest.xml"),
                "<testsuite name=\"org.cinelab.spark.LocalModeTest\" time=\"1\" tests=\"4\" errors=\"0\" skipped=\"1\" failures=\"0\">\n</testsuite>\n");
        Process p = new ProcessBuilder("bash", script().toString(), tmp.toString(), other.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("1 of 7 test(s) skipped") && out.contains("org.cinelab.spark.LocalModeTest: 1"), out);
    }

    @Test
    void failsWithoutReports() throws Exception {
        Run r = check();
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("no surefire reports"), r.output());
    }
}
