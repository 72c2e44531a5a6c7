package org.cinelab.spark;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The local file system under the scheme {@code pausefs:}, a stand-in for a cluster file system:
 * a {@code --state-dir pausefs:///...} goes through {@link org.cinelab.spark.state.HadoopStateStorage}
 * (overwriting rename) like {@code hdfs://} would. With {@code pausefs.pause.when} set (executors get it
 * as {@code spark.hadoop.pausefs.pause.when}), the first JVM that creates a file whose name contains that
 * text writes its pid to {@code <pausefs.signal.dir>/paused} and waits to be killed; later JVMs go on.
 */
public class PausingFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "pausefs";

    @Override
    public URI getUri() { return URI.create(SCHEME + ":///"); }

    @Override
    public String getScheme() { return SCHEME; }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        pauseIfAsked(f);
        return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        pauseIfAsked(f);
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    private void pauseIfAsked(Path f) throws IOException {
        String when = getConf() == null ? null : getConf().get("pausefs.pause.when");
        String signals = getConf() == null ? null : getConf().get("pausefs.signal.dir");
        if (when == null || signals == null || !f.getName().contains(when)) return;
        File marker = new File(signals, "paused");
        if (!marker.createNewFile()) return; // another JVM paused already: this one is the retry
        Files.writeString(marker.toPath(), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
        try {
            Thread.sleep(180_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("pausefs: nobody killed JVM " + ProcessHandle.current().pid() + " within 180 s");
    }
}
