package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.spec.ExperimentSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The tags that let a run be re-run and compared: who ran it, from which source and commit, with
 * which spec and data checksums, seed, library versions and thread settings (they change the
 * last digits of the numbers).
 */
public final class Provenance {
    private Provenance() {}

    public static Map<String, String> tags(ExperimentSpec spec, PreparedData data, int parallel) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("mlflow.user", System.getProperty("user.name", ""));
        t.put("mlflow.source.type", "LOCAL");
        t.put("mlflow.source.name", "cinelab run " + spec.file());
        Path specDir = spec.file().toAbsolutePath().getParent();
        String commit = git(specDir, "rev-parse", "HEAD");
        if (commit != null) {
            t.put("mlflow.source.git.commit", commit);
            String branch = git(specDir, "rev-parse", "--abbrev-ref", "HEAD");
            if (branch != null) t.put("mlflow.source.git.branch", branch);
            String status = git(specDir, "status", "--porcelain", "--untracked-files=no");
            if (status != null) t.put("mlflow.source.git.dirty", Boolean.toString(!status.isBlank()));
        }
        t.put("cinelab.spec_sha256", spec.sha256());
        t.put("cinelab.dataset_sha256", data.dataSha256());
        t.put("cinelab.split_id", data.splitId());
        t.put("cinelab.seed", Long.toString(spec.seed()));
        t.putAll(versions());
        int blas = Nd4jRuntime.blasThreads();
        t.put("cinelab.blas_threads", blas > 0 ? Integer.toString(blas) : "nd4j default (follows OMP_NUM_THREADS)");
        t.put("cinelab.parallel_trials", Integer.toString(parallel));
        return t;
    }

    /** The versions and settings that change the last digits of results, as this process would tag them. */
    public static Map<String, String> versions() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("cinelab.version", version("org.cinelab", "cinelab"));
        t.put("cinelab.java_version", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        t.put("cinelab.dl4j_version", version("org.deeplearning4j", "deeplearning4j-nn"));
        t.put("cinelab.nd4j_version", version("org.nd4j", "nd4j-native"));
        t.put("cinelab.tribuo_version", version("org.tribuo", "tribuo-core"));
        t.put("cinelab.omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        t.put("cinelab.openblas_coretype", openBlasCoreType());
        t.put("cinelab.os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return t;
    }

    /**
     * The matrix kernels OpenBLAS was told to use ({@code OPENBLAS_CORETYPE}, which {@code ./cinelab} sets on CPUs with
     * AVX-512), or "auto": other kernels round sums differently, so the last digits of results follow it.
     */
    public static String openBlasCoreType() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return forced == null || forced.isBlank() ? "auto" : forced;
    }

    /** A library's version from the Maven metadata inside its jar, or "unknown". */
    public static String version(String groupId, String artifactId) {
        String res = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(res)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // fall through to the manifest
        }
        if ("cinelab".equals(artifactId)) {
            String v = Provenance.class.getPackage().getImplementationVersion();
            if (v != null) return v;
            return "dev";
        }
        return "unknown";
    }

    private static String git(Path dir, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = dir.toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
