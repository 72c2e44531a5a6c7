package org.cinelab.spark.executor;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.cinelab.io.StateStorage;
import org.cinelab.spark.state.StateStorages;
import scala.Tuple2;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state storage of {@code --state-dir} on an executor, opened once per JVM and location. A local
 * folder on a cluster comes with the driver's marker ({@link SharedPathProbe}), checked first: an
 * executor that does not see the driver's folder must fail, not write a state of its own. Hadoop file
 * systems get the application's {@code spark.hadoop.*} settings, as Spark's own readers do.
 */
public final class ExecutorStateStorage {
    private static final Map<String, StateStorage> OPEN = new ConcurrentHashMap<>();

    private ExecutorStateStorage() {}

    /** @param probe the driver's marker in a local state folder, or null (cluster file system, single machine) */
    public static StateStorage open(String location, SharedPathProbe probe) throws IOException {
        if (probe != null) probe.verify();
        StateStorage storage = OPEN.get(location);
        if (storage != null) return storage;
        synchronized (OPEN) {
            storage = OPEN.get(location);
            if (storage == null) {
                storage = StateStorages.open(location, hadoopConfiguration());
                OPEN.put(location, storage);
            }
            return storage;
        }
    }

    /** Hadoop's defaults (and *-site.xml on the class path) plus the application's spark.hadoop.* settings. */
    static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            for (Tuple2<String, String> kv : env.conf().getAllWithPrefix("spark.hadoop.")) conf.set(kv._1(), kv._2());
        }
        return conf;
    }
}
