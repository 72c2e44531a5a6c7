package org.cinelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch's throughput on the same model, machine and threads, measured in the same sitting as
 * CineLab's: the bench runs {@code pytorch_reference.py} (shipped in the jar) row by row right after
 * CineLab's own row, so both see the same load. Recorded figures ({@link PyTorchReference}) came from
 * other machines of this kind that differed by up to 1.7x; a ratio from one sitting does not.
 *
 * <p>Needs a Python 3 with PyTorch: {@code CINELAB_PYTHON}, else {@code python3} on the PATH, else
 * {@code /usr/bin/python3} (Debian's {@code python3-torch} is PyTorch 1.13.1, the version the recorded
 * figures are of). Without one the bench says so and prints the recorded figures.
 */
final class PyTorchSitting {
    /** One row's PyTorch figure, with the GFLOP/s of PyTorch's own 1024^3 sgemm in the same process (NaN if not measured). */
    record Figure(double examplesPerSecond, double examplesPerCpuSecond, String version, String blas, double sgemmGflops) {
        /** "OpenBLAS 0.3.21 Cooperlake" from the script's longer description (config; core; threads), else as given. */
        String kernels() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(OpenBLAS \\S+).*core (\\S+?);").matcher(blas);
            return m.find() ? m.group(1) + " " + m.group(2) : blas;
        }

        /**
         * A line to print beside the ratio when PyTorch's own sgemm ran below {@link #SLOW_SGEMM} of this
         * machine's {@code peak} (GFLOP/s at the same BLAS threads): PyTorch then multiplies on no optimised
         * BLAS and the ratio says nothing about CineLab. Seen here: Debian's {@code python3-torch} with
         * {@code libblas.so.3} pointing at netlib's reference BLAS ran DEC 44x slower than with OpenBLAS,
         * while the OpenBLAS its LAPACK had loaded made the kernels read "OpenBLAS".
         */
        java.util.Optional<String> warning(double peak) {
            if (!(sgemmGflops < SLOW_SGEMM * peak)) return java.util.Optional.empty();
            return java.util.Optional.of(String.format(java.util.Locale.ROOT, "! PyTorch's own sgemm ran at %.1f GFLOP/s, %.2f of this"
                    + " machine's peak: it is not on an optimised BLAS and this ratio says nothing (Debian: apt-get install"
                    + " libopenblas0-pthread; update-alternatives --display libblas.so.3-x86_64-linux-gnu)", sgemmGflops, sgemmGflops / peak));
        }
    }

    /** Below this share of the peak, PyTorch's sgemm is not an optimised BLAS's (OpenBLAS and MKL reach 0.5-1 of it). */
    static final double SLOW_SGEMM = 0.2;

    private static final String SCRIPT = "pytorch_reference.py";
    private static final long TIMEOUT_MINUTES = 30;

    private final String python;
    private final String whyNot;
    private Path script;

    private PyTorchSitting(String python, String whyNot) {
        this.python = python;
        this.whyNot = whyNot;
    }

    /** {@link #find()}, saying on {@code out} which Python measures PyTorch or why none does. */
    static PyTorchSitting find(java.io.PrintStream out) {
        PyTorchSitting s = find();
        out.println(s.available() ? "PyTorch: measured in this sitting, row by row after CineLab's, with " + s.python
                : "PyTorch: recorded figures only: " + s.whyNot);
        return s;
    }

    /** No PyTorch measurements (a run that measures quality, not speed). */
    static PyTorchSitting none() { return new PyTorchSitting(null, "not measured"); }

    /** The first Python that imports torch, or an absent sitting that says where it looked. */
    static PyTorchSitting find() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("CINELAB_PYTHON");
        if (configured != null && !configured.isBlank()) candidates.add(configured);
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String p : candidates) {
            if (importsTorch(p)) return new PyTorchSitting(p, null);
        }
        return new PyTorchSitting(null, "no Python with PyTorch (tried " + String.join(", ", candidates)
                + "; set CINELAB_PYTHON, or on Debian: apt-get install python3-torch libopenblas0-pthread)");
    }

    /** A sitting on a given interpreter (tests). */
    static PyTorchSitting using(String python) { return new PyTorchSitting(python, null); }

    boolean available() { return python != null; }

    /**
     * PyTorch's own OpenBLAS picks its kernels when ./cinelab chose ND4J's (for its older copy); kernels the
     * user forced (a machine image may set OPENBLAS_CORETYPE=Haswell on an AVX-512 CPU) bind both sides.
     */
    static void kernels(Map<String, String> ours, Map<String, String> pytorchs) {
        if (ours.get("CINELAB_CORETYPE_CHOSEN") != null) pytorchs.remove("OPENBLAS_CORETYPE");
    }

    /**
     * PyTorch's examples/s on {@code row} at {@code threads} BLAS threads (one framework thread, as
     * PyTorch's best set-up on two cores), or empty with the reason printed to {@code out}.
     */
    Optional<Figure> measure(String row, int threads, java.io.PrintStream out) {
        if (python == null) return Optional.empty();
        Path stdout = null, stderr = null;
        try {
            stdout = Files.createTempFile("cinelab-pytorch-", ".out");
            stderr = Files.createTempFile("cinelab-pytorch-", ".err");
            ProcessBuilder pb = new ProcessBuilder(python, script().toString(), "--rows", row, "--threads", Integer.toString(threads))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()); // files: neither pipe can fill and stall it
            Map<String, String> env = pb.environment();
            kernels(System.getenv(), env);
            env.put("OMP_NUM_THREADS", "1");
            env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                out.printf("%-24s PyTorch: no figure (%s did not finish in %d minutes)%n", "", SCRIPT, TIMEOUT_MINUTES);
                return Optional.empty();
            }
            Optional<Figure> f = parse(Files.readString(stdout), row);
            if (p.exitValue() != 0 || f.isEmpty()) {
                out.printf("%-24s PyTorch: no figure (%s %s exited %d: %s)%n", "", SCRIPT, row, p.exitValue(), lastLine(Files.readString(stderr)));
                return Optional.empty();
            }
            return f;
        } catch (IOException e) {
            out.printf("%-24s PyTorch: no figure (%s could not run: %s)%n", "", SCRIPT, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            if (f != null) Files.deleteIfExists(f);
        } catch (IOException e) {
            // a temporary file left behind
        }
    }

    /** The JSON line for {@code row} among the script's output lines. */
    static Optional<Figure> parse(String stdout, String row) {
        ObjectMapper json = new ObjectMapper();
        for (String line : stdout.split("\n")) {
            if (!line.startsWith("{")) continue;
            try {
                JsonNode n = json.readTree(line);
                if (!row.equals(n.path("row").asText())) continue;
                double perSecond = n.path("examples_per_second").asDouble(Double.NaN);
                if (!(perSecond > 0)) continue;
                return Optional.of(new Figure(perSecond, n.path("examples_per_cpu_second").asDouble(Double.NaN), n.path("torch").asText("?"),
                        n.path("blas").asText("?"), n.path("sgemm_gflops").asDouble(Double.NaN)));
            } catch (IOException e) {
                // not a figure line
            }
        }
        return Optional.empty();
    }

    private Path script() throws IOException {
        if (script == null) {
            try (InputStream in = PyTorchSitting.class.getResourceAsStream(SCRIPT)) {
                if (in == null) throw new IOException(SCRIPT + " is missing from the jar");
                Path f = Files.createTempFile("cinelab-", "-" + SCRIPT);
                f.toFile().deleteOnExit();
                Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
                script = f;
            }
        }
        return script;
    }

    private static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return t.isEmpty() ? "no message" : nl < 0 ? t : t.substring(nl + 1);
    }
}
