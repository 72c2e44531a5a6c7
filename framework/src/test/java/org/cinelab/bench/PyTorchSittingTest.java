package org.cinelab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's same-sitting PyTorch figures: what it reads from the reference script, and what it says when the script fails. */
class PyTorchSittingTest {
    @Test
    void readsTheFigureOfTheRowAskedForAndSkipsOtherLines() {
        String stdout = "loading...\n"
                + "{\"row\": \"autorec\", \"examples_per_second\": 7000.5, \"torch\": \"1.13.1\", \"blas\": \"OpenBLAS Cooperlake\"}\n"
                + "{\"row\": \"autorec batch 256\", \"examples_per_second\": 15000, \"examples_per_cpu_second\": 14000, \"torch\": \"1.13.1\", \"blas\": \"OpenBLAS Cooperlake\"}\n";
        PyTorchSitting.Figure f = PyTorchSitting.parse(stdout, "autorec batch 256").orElseThrow();
        assertEquals(15000, f.examplesPerSecond());
        assertEquals(14000, f.examplesPerCpuSecond());
        assertEquals("1.13.1", f.version());
        assertEquals("OpenBLAS Cooperlake", f.blas());
        assertTrue(PyTorchSitting.parse(stdout, "dcn").isEmpty());
        assertEquals("OpenBLAS 0.3.21 Cooperlake", new PyTorchSitting.Figure(1, 1, "1.13.1",
                "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64; core Cooperlake; 1 BLAS thread(s)", Double.NaN).kernels());
        assertTrue(PyTorchSitting.parse("{\"row\": \"dcn\", \"examples_per_second\": 0}", "dcn").isEmpty(), "a zero rate is no figure");
        assertTrue(Double.isNaN(f.sgemmGflops()), "a line without the sgemm figure");
        assertTrue(f.warning(170).isEmpty(), "no sgemm figure, nothing to judge");
        PyTorchSitting.Figure measured = PyTorchSitting.parse("{\"row\": \"dcn\", \"examples_per_second\": 1500, \"blas\": \"OpenBLAS Cooperlake\","
                + " \"sgemm_gflops\": 151.2}", "dcn").orElseThrow();
        assertEquals(151.2, measured.sgemmGflops());
        assertTrue(measured.warning(170).isEmpty(), "PyTorch on an optimised BLAS: 0.89 of the peak");
        String w = new PyTorchSitting.Figure(140, 139, "1.13.0a0", "OpenBLAS 0.3.21 Cooperlake", 4.1).warning(170).orElseThrow();
        assertTrue(w.startsWith("! PyTorch's own sgemm ran at 4.1 GFLOP/s, 0.02 of this machine's peak")
                && w.contains("apt-get install libopenblas0-pthread"), w);
        assertTrue(PyTorchSitting.parse("{not json", "dcn").isEmpty());
    }

    @Test
    void runsTheScriptWithTheRowAndThreadsAndItsOwnBlasKernels(@TempDir Path dir) throws Exception {
        // A stand-in interpreter that echoes how it was called as the figure's fields.
        Path python = executable(dir, "#!/bin/sh\n"
                + "printf '{\"row\": \"%s\", \"examples_per_second\": 123.5, \"torch\": \"threads=%s\", \"blas\": \"coretype=%s\"}\\n'"
                + " \"$3\" \"$OPENBLAS_NUM_THREADS\" \"${OPENBLAS_CORETYPE:-own}\"\n");
        PyTorchSitting.Figure f = PyTorchSitting.using(python.toString()).measure("text-lstm len 100", 2, new PrintStream(new ByteArrayOutputStream()))
                .orElseThrow();
        assertEquals(123.5, f.examplesPerSecond());
        assertEquals("threads=2", f.version());
        String forced = System.getenv("CINELAB_CORETYPE_CHOSEN") == null ? System.getenv("OPENBLAS_CORETYPE") : null;
        assertEquals("coretype=" + (forced == null ? "own" : forced), f.blas(), "PyTorch's OpenBLAS picks its own kernels unless the user forced some");
    }

    @Test
    void kernelsTheLauncherChoseAreNd4jsAloneAndKernelsTheUserForcedBindPyTorchToo() {
        Map<String, String> child = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "SkylakeX"));
        PyTorchSitting.kernels(Map.of("OPENBLAS_CORETYPE", "SkylakeX", "CINELAB_CORETYPE_CHOSEN", "1"), child);
        assertFalse(child.containsKey("OPENBLAS_CORETYPE"), "the launcher's choice is for ND4J's older OpenBLAS");

        child = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell"));
        PyTorchSitting.kernels(Map.of("OPENBLAS_CORETYPE", "Haswell"), child);
        assertEquals("Haswell", child.get("OPENBLAS_CORETYPE"), "the user's choice binds both sides");
    }

    @Test
    void aFailingScriptGivesNoFigureAndSaysWhy(@TempDir Path dir) throws Exception {
        Path python = executable(dir, "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'unknown row: dcn; valid: dec' >&2\nexit 2\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertTrue(PyTorchSitting.using(python.toString()).measure("dcn", 1, new PrintStream(bytes, true, StandardCharsets.UTF_8)).isEmpty());
        String said = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("exited 2") && said.contains("unknown row: dcn; valid: dec"), said);
    }

    @Test
    void withoutPythonItSaysWhereItLooked() {
        PyTorchSitting none = PyTorchSitting.none();
        assertTrue(!none.available() && none.measure("dec", 1, new PrintStream(new ByteArrayOutputStream())).isEmpty());
    }

    private static Path executable(Path dir, String text) throws Exception {
        Path f = dir.resolve("python");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
