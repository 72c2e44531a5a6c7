package org.cinelab.spark.state;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.cinelab.io.AtomicFiles;
import org.cinelab.io.StateStorage;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link StateStorage} on any Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file:} on
 * shared storage, ...). How a write is made atomic depends on the store:
 * <ul>
 *   <li>{@link Commit#POSIX_RENAME} ({@code file:}): temp file beside the target, then the raw local
 *       file system's rename, i.e. {@code rename(2)}, which replaces the target in one step. The raw
 *       file system is used so that no {@code .crc} side file can disagree with the data in between.</li>
 *   <li>{@link Commit#OVERWRITING_RENAME} (HDFS and any other file system): temp file, then
 *       {@code FileContext.rename(temp, target, OVERWRITE)}, a single NameNode operation on HDFS. Other
 *       file systems get Hadoop's default, a delete and then a rename: not atomic (a crash in between
 *       leaves no target, and the new content in the hidden temp file).</li>
 *   <li>{@link Commit#SINGLE_PUT} (object stores: {@code s3a}, {@code gs}, ...): their rename is a copy
 *       and a delete, so it is not used. The content is rendered in memory first and then written
 *       with one {@code create()}: S3 and GCS make an object visible only when its upload completes,
 *       whole, so readers see the old object or the new one. A writer that fails never opens the
 *       stream, so nothing is uploaded.</li>
 * </ul>
 */
public final class HadoopStateStorage implements StateStorage {
    /** Object stores: no atomic rename, but atomic visibility of an object on upload completion. */
    static final Set<String> OBJECT_STORE_SCHEMES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs", "wasb", "wasbs");

    /** How a write becomes visible; see the class comment. */
    public enum Commit { POSIX_RENAME, OVERWRITING_RENAME, SINGLE_PUT }

    private final FileSystem fs;
    private final Path root;
    private final Configuration conf;
    private final Commit commit;

    HadoopStateStorage(FileSystem fs, Path root, Configuration conf, Commit commit) {
        this.fs = fs;
        this.root = root;
        this.conf = conf;
        this.commit = commit;
    }

    /** Opens the storage at {@code rootUri} with the commit method its scheme supports. */
    public static HadoopStateStorage open(URI rootUri, Configuration conf) throws IOException {
        Path root = new Path(rootUri);
        FileSystem fs;
        try {
            fs = root.getFileSystem(conf);
        } catch (UnsupportedFileSystemException | RuntimeException e) {
            throw new IOException("state dir " + rootUri + ": no Hadoop file system for scheme '" + rootUri.getScheme() + "' on the class path"
                    + connectorHint(rootUri.getScheme()), e);
        }
        String scheme = fs.getScheme().toLowerCase(Locale.ROOT);
        Commit commit;
        if (fs instanceof LocalFileSystem local) {
            fs = local.getRawFileSystem();
            commit = Commit.POSIX_RENAME;
        } else if (OBJECT_STORE_SCHEMES.contains(scheme)) {
            commit = Commit.SINGLE_PUT;
        } else {
            commit = Commit.OVERWRITING_RENAME;
        }
        return new HadoopStateStorage(fs, fs.makeQualified(root), conf, commit);
    }

    public Commit commit() { return commit; }

    /** Where the connector of a common scheme comes from, for the error message. */
    static String connectorHint(String scheme) {
        String hadoop = org.apache.hadoop.util.VersionInfo.getVersion();
        return switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
            case "s3a" -> "; add hadoop-aws, e.g. spark-submit --packages org.apache.hadoop:hadoop-aws:" + hadoop;
            case "abfs", "abfss", "wasb", "wasbs" -> "; add hadoop-azure, e.g. spark-submit --packages org.apache.hadoop:hadoop-azure:" + hadoop;
            case "gs" -> "; add Google's gcs-connector (hadoop3) jar with spark-submit --jars";
            default -> "; use hdfs://, s3a://, file:///shared/path or a plain path, or add the connector jar for this scheme";
        };
    }

    @Override
    public Optional<byte[]> read(String key) throws IOException {
        try (FSDataInputStream in = fs.open(resolve(key, false))) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void write(String key, AtomicFiles.StreamWriter writer) throws IOException {
        Path target = resolve(key, false);
        if (commit == Commit.SINGLE_PUT) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            writer.write(content);
            try (FSDataOutputStream out = fs.create(target, true)) {
                content.writeTo(out);
            }
            return;
        }
        Path temp = new Path(target.getParent(), "." + target.getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(temp, false)) {
                writer.write(out);
            }
            if (commit == Commit.POSIX_RENAME) {
                if (!fs.rename(temp, target)) throw new IOException("could not rename " + temp + " to " + target);
            } else {
                renameOverwriting(temp, target);
            }
        } finally {
            fs.delete(temp, false);
        }
    }

    private void renameOverwriting(Path temp, Path target) throws IOException {
        FileContext fc;
        try {
            fc = FileContext.getFileContext(fs.getUri(), conf);
        } catch (UnsupportedFileSystemException e) {
            // No FileContext binding for this scheme: FileSystem.rename does not overwrite, so the old file
            // goes first; a crash in between leaves the temp file with the new content, and no target.
            fs.delete(target, false);
            if (!fs.rename(temp, target)) throw new IOException("could not rename " + temp + " to " + target);
            return;
        }
        fc.rename(temp, target, Options.Rename.OVERWRITE);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        FileStatus[] children;
        try {
            children = fs.listStatus(resolve(dir, true));
        } catch (FileNotFoundException e) {
            return List.of();
        }
        return Arrays.stream(children).map(s -> s.getPath().getName()).filter(n -> !n.startsWith(".")).sorted().toList();
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path target = resolve(key, false);
        return fs.exists(target) && fs.delete(target, true);
    }

    @Override
    public String describe() { return root.toString(); }

    private Path resolve(String key, boolean rootAllowed) {
        String checked = StateStorage.checkKey(key, rootAllowed);
        return checked.isEmpty() ? root : new Path(root, checked);
    }
}
