package org.cinelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./cinelab} launcher says what its first-use build does and about how long it takes,
 * instead of a silent wait. Maven and Java are stand-ins on the PATH here (a real build takes
 * minutes): the script's own behaviour is what is checked.
 */
class LauncherTest {
    @TempDir Path tmp;

    private record Run(int exit, String out, String err) {}

    private Path repo() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("cinelab"))) root = root.getParent();
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.copy(root.resolve("cinelab"), repo.resolve("cinelab"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("framework/src/main"));
        Files.writeString(repo.resolve("framework/pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("datasets"));
        Files.writeString(repo.resolve("datasets/catalog.yaml"), "version: 1\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("mvn"), """
                #!/usr/bin/env bash
                if [ -n "${STUB_FAIL:-}" ]; then echo "[ERROR] BUILD FAILURE: cannot find symbol"; exit 1; fi
                mkdir -p framework/target/lib && touch framework/target/cinelab.jar
                """);
        script(bin.resolve("java"), """
                #!/usr/bin/env bash
                echo "java $*"
                """);
        return repo;
    }

    private static void script(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run launch(Path repo, boolean failBuild) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("cinelab").toString(), "--version").directory(repo.toFile());
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().remove("CINELAB_JAVA_OPTS");
        if (failBuild) pb.environment().put("STUB_FAIL", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void theFirstUseBuildSaysWhatItDoesAndHowLongItTakesThenRunsTheJar() throws Exception {
        Path repo = repo();
        Run first = launch(repo, false);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.err().startsWith("cinelab: building framework/target/cinelab.jar (first use): mvn package -DskipTests"
                + " compiles the sources and copies the libraries to framework/target/lib: about 30 s on an idle machine, minutes on a busy one;"), first.err());
        assertTrue(first.err().matches("(?s).*\\ncinelab: built in \\d+ s\\n"), first.err());
        assertTrue(first.out().startsWith("java -Xmx8g --add-modules jdk.incubator.vector -jar " + repo.resolve("framework/target/cinelab.jar") + " --version"), first.out());

        Run again = launch(repo, false);
        assertEquals("", again.err(), "an up-to-date jar is used without a word");
    }

    @Test
    void aFailedBuildShowsMavensOutputAndStops() throws Exception {
        Run r = launch(repo(), true);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("[ERROR] BUILD FAILURE: cannot find symbol"), r.err());
        assertTrue(r.err().endsWith("cinelab: the build failed (Maven's output above)\n"), r.err());
        assertFalse(r.out().contains("java "), "the jar is not started");
    }
}
