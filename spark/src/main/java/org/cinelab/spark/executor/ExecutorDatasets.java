package org.cinelab.spark.executor;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.catalog.CatalogEntry;
import org.cinelab.data.catalog.DataDirs;
import org.cinelab.data.catalog.DatasetCatalog;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.data.catalog.DatasetVerifier;
import org.cinelab.data.catalog.VerificationReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Gets a task's dataset onto the executor that runs it. With a shared data dir (the driver's
 * {@code --data-dir}, mounted by every executor) the files are used where they are; otherwise the
 * dataset is fetched through the catalog into this machine's cache ({@code CINELAB_DATA} of the
 * executor, else {@code <java.io.tmpdir>/cinelab-datasets-<user>}), checksum-verified, under the
 * installer's lock, so tasks and executor JVMs on one machine download it once. Verification and
 * loading happen once per executor JVM: later tasks reuse the loaded data. Whatever the route, the
 * loaded data must have the driver's split id, so every trial sees the same rows.
 */
public final class ExecutorDatasets {
    /** Datasets verified in this JVM, by {@code name@dir}. */
    private static final Map<String, Boolean> VERIFIED = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, Object> LOCKS = new ConcurrentHashMap<>();
    /** The last loaded data sets of this JVM (least recently used first). */
    private static final int LOADED_KEPT = 2;
    private static final Map<String, PreparedData> LOADED = new LinkedHashMap<>(4, 0.75f, true);

    private final DatasetCatalog catalog;
    private final Path localCache;
    private final Consumer<String> log;

    public ExecutorDatasets(DatasetCatalog catalog, Path localCache, Consumer<String> log) {
        this.catalog = catalog;
        this.localCache = localCache.toAbsolutePath().normalize();
        this.log = log == null ? s -> {} : log;
    }

    /** The bundled catalog and this machine's cache. */
    public static ExecutorDatasets standard(Consumer<String> log) {
        return new ExecutorDatasets(DatasetCatalog.bundled(), defaultLocalCache(), log);
    }

    /** {@code CINELAB_DATA} of this process, else a folder in the temp dir: the executor's working dir is per application. */
    public static Path defaultLocalCache() {
        String env = System.getenv(DataDirs.ENV);
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("java.io.tmpdir"), "cinelab-datasets-" + System.getProperty("user.name", "user"));
    }

    /** The data dir that holds {@code source}'s dataset on this machine, verified. */
    public Path dataDir(DataSource source) throws IOException {
        CatalogEntry entry = catalog.get(source.dataset());
        boolean shared = source.sharedDataDir() != null;
        Path dir = shared ? Path.of(source.sharedDataDir().dir()) : localCache;
        String key = source.dataset() + "@" + dir;
        if (VERIFIED.containsKey(key)) return dir;
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            if (VERIFIED.containsKey(key)) return dir;
            if (shared) verifyShared(source, entry, dir);
            else fetchLocal(source, dir);
            VERIFIED.put(key, Boolean.TRUE);
        }
        return dir;
    }

    private void verifyShared(DataSource source, CatalogEntry entry, Path dir) throws IOException {
        source.sharedDataDir().verify();
        VerificationReport report = DatasetVerifier.verify(entry, dir.resolve(entry.folder()), true);
        if (!report.installed()) {
            throw new DatasetException("dataset " + source.dataset() + " is not in the shared data dir " + dir + " on executor host "
                    + Hosts.name() + " (no folder " + entry.folder() + "/)");
        }
        // A folder that differs from the catalog (generated or edited data) is used as the driver uses it;
        // the split id comparison in load() still proves that every executor reads the same rows.
        if (!report.ok()) log.accept("dataset " + source.dataset() + " in " + dir + " differs from the catalog ("
                + String.join("; ", report.problems()) + "); using it as the driver does");
    }

    private void fetchLocal(DataSource source, Path dir) throws IOException {
        String mirror = source.mirror() != null ? source.mirror() : System.getenv(DatasetInstaller.MIRROR_ENV);
        DatasetInstaller installer = new DatasetInstaller(catalog, mirror, null, log);
        Files.createDirectories(dir);
        try {
            installer.fetch(source.dataset(), dir);
        } catch (DatasetException e) {
            throw new DatasetException("executor host " + Hosts.name() + " could not get dataset " + source.dataset() + " into its cache "
                    + dir + ": " + e.getMessage() + ". Alternatively give the driver a --data-dir that every executor mounts.", e);
        }
    }

    /**
     * The prepared data of {@code source}, loaded at most once per JVM while it stays among the last
     * {@value #LOADED_KEPT} used.
     *
     * @throws DatasetException when this machine's copy yields another split id than the driver's
     */
    public PreparedData load(DataSource source) throws IOException {
        Path dir = dataDir(source);
        String key = source.cacheKey(dir.toString());
        synchronized (LOCKS.computeIfAbsent("load:" + key, k -> new Object())) {
            synchronized (LOADED) {
                PreparedData cached = LOADED.get(key);
                if (cached != null) return cached;
            }
            DatasetProvider provider = DatasetRegistry.find(source.dataset())
                    .orElseThrow(() -> new DatasetException("unknown dataset '" + source.dataset() + "' on executor host " + Hosts.name()));
            PreparedData data = provider.load(new DatasetRequest(source.split(), source.options(), source.seed(), dir, log));
            if (source.expectedSplitId() != null && !source.expectedSplitId().equals(data.splitId())) {
                throw new DatasetException("dataset " + source.dataset() + " on executor host " + Hosts.name() + " (" + dir
                        + ") gives split id " + data.splitId() + ", the driver's is " + source.expectedSplitId()
                        + ": the executor's files differ from the driver's (dataset_sha256 " + data.dataSha256() + ")");
            }
            synchronized (LOADED) {
                LOADED.put(key, data);
                while (LOADED.size() > LOADED_KEPT) LOADED.remove(LOADED.keySet().iterator().next());
            }
            return data;
        }
    }
}
