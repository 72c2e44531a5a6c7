package org.cinelab.data.catalog;

import org.cinelab.data.Checksums;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Gets datasets into the cache and proves they are the right bytes. {@link #fetch} downloads the
 * upstream archive (resuming a partial {@code .part} file), checks its SHA-256, unpacks it safely
 * into a staging folder inside the cache, checks every member and only then renames the staging
 * folder into place, so a failure never leaves a half-installed dataset. {@link #importFrom} does
 * the same from a local file, folder or zip, for the datasets behind a login.
 *
 * <p>With a mirror (env {@value #MIRROR_ENV}, an http(s) or file: base URL) the archive is looked for
 * at {@code <mirror>/<archive name>}; if it is absent there, each member is fetched from
 * {@code <mirror>/<folder>/<member>}, i.e. from a directory laid out like the cache.
 */
public final class DatasetInstaller {
    public static final String MIRROR_ENV = "CINELAB_DATASET_MIRROR";
    private static final String DOWNLOADS = ".downloads";

    private final DatasetCatalog catalog;
    private final String mirror;
    private final Downloader downloader;
    private final Consumer<String> log;

    /**
     * @param mirrorOrNull base URL replacing the upstream one, or null for upstream
     * @param progress     where the progress bar is drawn (stderr), or null for none
     * @param log          sink for one-line messages to the user
     */
    public DatasetInstaller(DatasetCatalog catalog, String mirrorOrNull, PrintStream progress, Consumer<String> log) {
        this.catalog = Objects.requireNonNull(catalog);
        this.mirror = mirrorOrNull == null || mirrorOrNull.isBlank() ? null : mirrorOrNull.trim();
        this.downloader = new Downloader(progress);
        this.log = log == null ? s -> {} : log;
    }

    /** The bundled catalog, the mirror from the environment, the progress bar on stderr. */
    public static DatasetInstaller standard(Consumer<String> log) {
        return new DatasetInstaller(DatasetCatalog.bundled(), System.getenv(MIRROR_ENV), System.err, log);
    }

    /**
     * The folder of dataset {@code name} in {@code dataDir}, fetching it first when it is missing and
     * has a public download (saying so through {@code log}). For login-only datasets the exception's
     * message gives the exact {@code cinelab datasets import} command.
     */
    public static Path ensureInstalled(String name, Path dataDir, Consumer<String> log) throws IOException {
        return standard(log).ensure(name, dataDir);
    }

    /**
     * Fetches a catalog dataset that {@code dataDir} does not hold at all, so that a missing dataset
     * stops a command before it writes anything else. A copy that is there, even one that differs
     * from the catalog, is left to its loader (which says so); names outside the catalog are ignored.
     */
    public static void fetchIfMissing(String name, Path dataDir, Consumer<String> log) throws IOException {
        DatasetInstaller installer = standard(log);
        CatalogEntry entry = installer.catalog.find(name).orElse(null);
        if (entry == null || DatasetVerifier.verify(entry, dataDir.resolve(entry.folder()), false).installed()) return;
        installer.ensure(name, dataDir);
    }

    public DatasetCatalog catalog() { return catalog; }

    public Path ensure(String name, Path dataDir) throws IOException {
        CatalogEntry entry = catalog.get(name);
        Path target = dataDir.resolve(entry.folder());
        VerificationReport quick = DatasetVerifier.verify(entry, target, false);
        if (quick.ok()) return target;
        if (quick.installed()) {
            // Installs are atomic, so a folder that differs was made or edited by hand (a generated
            // fixture, a local copy): use it rather than overwrite it; its checksums go into the run.
            log.accept("dataset " + name + " in " + target + " differs from the catalog (" + String.join("; ", quick.problems())
                    + "); using it as it is. 'cinelab datasets verify " + name + "' checks it in full.");
            return target;
        }
        if (!entry.isPublicDownload()) {
            String dataDirArg = dataDir.toAbsolutePath().normalize().equals(DataDirs.resolve(null)) ? null : dataDir.toString();
            throw new DatasetException("dataset " + name + " is not installed in " + target
                    + ". It cannot be downloaded automatically: " + entry.homepage() + " needs a login. Download it there"
                    + (entry.importHint() == null ? "" : " (" + entry.importHint() + ")") + ", then run:"
                    + System.lineSeparator() + "  " + entry.importCommand(dataDirArg));
        }
        log.accept("dataset " + name + " is not installed in " + dataDir
                + ": fetching it from " + (mirror != null ? mirror + " (mirror)" : entry.archive().url()));
        return fetch(name, dataDir);
    }

    /** Downloads, verifies and installs a public dataset; a dataset that already verifies is left alone. */
    public Path fetch(String name, Path dataDir) throws IOException {
        CatalogEntry entry = catalog.get(name);
        Path target = dataDir.resolve(entry.folder());
        if (!entry.isPublicDownload()) {
            throw new DatasetException("dataset " + name + " has no public download (" + entry.homepage() + " needs a login); download it there"
                    + (entry.importHint() == null ? "" : " (" + entry.importHint() + ")") + " and run: " + entry.importCommand(null));
        }
        if (DatasetVerifier.verify(entry, target, true).ok()) {
            log.accept(name + " is already installed and verified in " + target);
            return target;
        }
        Path downloads = dataDir.resolve(DOWNLOADS);
        Path created = firstMissing(dataDir);
        boolean installed = false;
        try (InstallLock ignored = InstallLock.acquire(downloads.resolve(entry.folder() + ".lock"))) {
            // Another thread or process may have installed it while this one waited for the lock.
            if (DatasetVerifier.verify(entry, target, true).ok()) {
                log.accept(name + " was installed in " + target + " meanwhile, by another task or process");
                installed = true;
                return target;
            }
            Path staging = newStagingDir(dataDir, entry);
            try {
                if (!fetchArchive(entry, downloads, staging)) fetchMembers(entry, downloads, staging);
                requireValid(entry, staging);
                install(staging, target);
                installed = true;
            } finally {
                deleteRecursively(staging);
            }
        } catch (NetworkFailure.DownloadFailedException e) {
            throw waysOn(entry, dataDir, e);
        } finally {
            // Only a partial download worth resuming stays; folders this call made for nothing go.
            removeEmptyFolders(downloads);
            if (!installed && created != null) removeEmptyFolders(dataDir, created);
        }
        log.accept("installed " + name + " in " + target);
        return target;
    }

    /** The download failed before any byte: say why, and the three other ways to get the data. */
    private DatasetException waysOn(CatalogEntry entry, Path dataDir, NetworkFailure.DownloadFailedException e) {
        String nl = System.lineSeparator();
        String archive = entry.archive().fileName();
        String dataDirArg = dataDir.toAbsolutePath().normalize().equals(DataDirs.resolve(null)) ? "" : " --data-dir " + dataDir;
        return new DatasetException("cannot download " + entry.name() + " from " + e.source + ": " + e.reason + "." + nl
                + "Nothing was installed in " + dataDir + ". Any of these gets the data:" + nl
                + "  - point CINELAB_DATA (or --data-dir) at a folder that already holds " + entry.folder() + "/" + nl
                + "  - download " + archive + " where there is network (" + entry.archive().url() + "), copy it here and run:" + nl
                + "      cinelab datasets import " + entry.name() + " --from " + archive + dataDirArg + nl
                + "  - once online, run the command again (or: cinelab datasets fetch " + entry.name() + dataDirArg + ")", e);
    }

    /** The outermost folder of {@code dir} that does not exist yet (it and what is below it would be made), or null. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) missing = p;
        return missing;
    }

    /**
     * Deletes empty folders (and empty {@code .part} files) under and including {@code dir}. Another
     * installer (thread or process) may be cleaning the same folders at the same time: what it removed
     * first is simply gone.
     */
    private static void removeEmptyFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        } catch (NoSuchFileException gone) {
            return;
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) return; // a folder went while this walked: the other clean-up has it
            throw e;
        }
        for (Path p : paths) {
            try {
                if (Files.isRegularFile(p) && p.toString().endsWith(".part") && Files.size(p) == 0) Files.deleteIfExists(p);
                else if (Files.isDirectory(p)) deleteIfEmpty(p);
            } catch (NoSuchFileException removedMeanwhile) {
                // nothing left to clean there
            }
        }
    }

    /** Deletes {@code dir} and its parents up to {@code top} while they are empty. */
    private static void removeEmptyFolders(Path dir, Path top) throws IOException {
        Path stop = top.toAbsolutePath().normalize();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && p.startsWith(stop); p = p.getParent()) {
            if (!deleteIfEmpty(p)) return;
        }
    }

    private static boolean deleteIfEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return !Files.exists(dir);
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) return false;
        } catch (NoSuchFileException removedMeanwhile) {
            return true;
        }
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (java.nio.file.DirectoryNotEmptyException raced) {
            return false; // another process started a download here meanwhile
        }
    }

    private boolean fetchArchive(CatalogEntry entry, Path downloads, Path staging) throws IOException {
        CatalogEntry.Archive archive = entry.archive();
        URI uri = join(mirror != null ? mirror : archive.url().substring(0, archive.url().lastIndexOf('/')), archive.fileName());
        Path part = downloads.resolve(archive.fileName() + ".part");
        if (!downloader.download(uri, part, archive.fileName())) {
            if (mirror == null) throw new DatasetException("upstream archive of " + entry.name() + " not found at " + uri);
            log.accept("no " + archive.fileName() + " at the mirror; fetching the member files from " + join(mirror, entry.folder()));
            return false;
        }
        long size = Files.size(part);
        if (archive.size() != null && size != archive.size()) {
            Files.delete(part);
            throw new DatasetException(archive.fileName() + " from " + uri + ": " + size + " bytes, expected " + archive.size()
                    + "; the download was deleted, nothing was installed");
        }
        if (archive.sha256() != null) {
            String actual = Checksums.sha256(part);
            if (!actual.equalsIgnoreCase(archive.sha256())) {
                Files.delete(part);
                throw new DatasetException(archive.fileName() + " from " + uri + ": SHA-256 mismatch: expected " + archive.sha256()
                        + ", actual " + actual + "; the download was deleted, nothing was installed");
            }
        }
        SafeUnzip.unpack(part, staging);
        Files.delete(part);
        return true;
    }

    private void fetchMembers(CatalogEntry entry, Path downloads, Path staging) throws IOException {
        if (entry.members().isEmpty()) throw new DatasetException("the catalog lists no member files of " + entry.name() + " to fetch one by one");
        for (CatalogEntry.Member m : entry.members()) {
            URI uri = join(mirror, entry.folder() + "/" + m.path());
            Path part = downloads.resolve(entry.folder()).resolve(m.path() + ".part");
            if (!downloader.download(uri, part, entry.folder() + "/" + m.path())) {
                if (m.optional()) continue;
                throw new DatasetException("member " + entry.folder() + "/" + m.path() + " of " + entry.name() + " is missing at the mirror (" + uri
                        + "); nothing was installed");
            }
            Path dest = staging.resolve(m.path());
            Files.createDirectories(dest.getParent());
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING);
        }
        deleteRecursively(downloads.resolve(entry.folder()));
    }

    /**
     * Installs a dataset from a local copy: a folder (or a folder containing the dataset's upstream
     * folder), a zip archive, or a single file, which is stored under the member name whose SHA-256
     * it matches. Files of an existing installation that the import does not replace are kept.
     */
    public Path importFrom(String name, Path source, Path dataDir) throws IOException {
        CatalogEntry entry = catalog.get(name);
        Path target = dataDir.resolve(entry.folder());
        if (!Files.exists(source)) throw new DatasetException("cannot import " + name + ": " + source + " does not exist");
        Files.createDirectories(dataDir);
        Path staging = newStagingDir(dataDir, entry);
        try {
            if (Files.isDirectory(source)) {
                Path root = Files.isDirectory(source.resolve(entry.folder())) && !containsAnyMember(entry, source) ? source.resolve(entry.folder()) : source;
                copyTree(root, staging);
            } else if (isZip(source)) {
                SafeUnzip.unpack(source, staging);
            } else {
                Files.copy(source, staging.resolve(memberNameFor(entry, source)));
            }
            if (Files.isDirectory(target)) keepExisting(target, staging);
            requireValid(entry, staging);
            install(staging, target);
        } finally {
            deleteRecursively(staging);
        }
        log.accept("imported " + name + " from " + source + " into " + target);
        return target;
    }

    /** Hashes every member of an installed dataset. */
    public VerificationReport verify(String name, Path dataDir) throws IOException {
        CatalogEntry entry = catalog.get(name);
        return DatasetVerifier.verify(entry, dataDir.resolve(entry.folder()), true);
    }

    private static boolean containsAnyMember(CatalogEntry entry, Path dir) {
        return entry.members().stream().anyMatch(m -> Files.isRegularFile(dir.resolve(m.path())));
    }

    private static String memberNameFor(CatalogEntry entry, Path file) throws IOException {
        String actual = Checksums.sha256(file);
        for (CatalogEntry.Member m : entry.members()) if (m.hasChecksum() && m.sha256().equalsIgnoreCase(actual)) return m.path();
        String fileName = file.getFileName().toString();
        if (entry.member(fileName).isPresent()) return fileName;
        StringBuilder known = new StringBuilder();
        for (CatalogEntry.Member m : entry.members()) {
            if (m.hasChecksum()) known.append(System.lineSeparator()).append("  ").append(m.path()).append("  ").append(m.sha256())
                    .append(m.note() == null ? "" : "  (" + m.note() + ")");
        }
        throw new DatasetException("cannot import " + file + " as " + entry.name() + ": its SHA-256 " + actual
                + " matches no known file of the dataset" + (known.length() == 0 ? "" : "; known files:" + known));
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static void requireValid(CatalogEntry entry, Path staging) throws IOException {
        VerificationReport report = DatasetVerifier.verify(entry, staging, true);
        if (!report.problems().isEmpty()) {
            throw new DatasetException("dataset " + entry.name() + " failed verification, nothing was installed:" + System.lineSeparator()
                    + "  " + String.join(System.lineSeparator() + "  ", report.problems()));
        }
    }

    /** Renames the verified staging folder into place; an older installation is swapped out, then deleted. */
    private static void install(Path staging, Path target) throws IOException {
        if (!Files.exists(target)) {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
    }

    private static void keepExisting(Path installed, Path staging) throws IOException {
        for (String rel : DatasetVerifier.relativeFiles(installed)) {
            Path dest = staging.resolve(rel);
            if (Files.exists(dest)) continue;
            Files.createDirectories(dest.getParent());
            try {
                Files.createLink(dest, installed.resolve(rel));
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(installed.resolve(rel), dest);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (String rel : DatasetVerifier.relativeFiles(from)) {
            Path dest = to.resolve(rel);
            Files.createDirectories(dest.getParent());
            Files.copy(from.resolve(rel), dest);
        }
    }

    /** An empty folder inside the cache (same file system, so the final rename is atomic), with default permissions. */
    private static Path newStagingDir(Path dataDir, CatalogEntry entry) throws IOException {
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        while (true) {
            Path p = dataDir.resolve("." + entry.folder() + ".staging-" + Long.toHexString(rnd.nextLong() & Long.MAX_VALUE));
            try {
                return Files.createDirectory(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // name taken: draw another
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) Files.deleteIfExists(p);
    }

    /** {@code base} (a URL, or a plain local path) joined with a relative path, segment by segment. */
    static URI join(String base, String relative) {
        String b = base.contains(":/") || base.startsWith("file:") ? base : Path.of(base).toAbsolutePath().toUri().toString();
        if (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        StringBuilder sb = new StringBuilder(b);
        for (String segment : relative.split("/")) {
            if (!segment.isEmpty()) sb.append('/').append(encode(segment));
        }
        return URI.create(sb.toString());
    }

    private static String encode(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) sb.append(c);
            else sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }
}
