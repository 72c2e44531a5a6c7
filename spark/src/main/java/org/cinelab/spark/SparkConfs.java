package org.cinelab.spark;

import org.apache.spark.SparkConf;

import java.util.List;
import java.util.Map;

/** The Spark settings CineLab's tasks need, on top of what the user gives to spark-submit. */
public final class SparkConfs {
    /** Environment variables an executor needs to reach a protected MLflow server like the driver does. */
    static final List<String> FORWARDED_ENV = List.of("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD",
            "MLFLOW_TRACKING_INSECURE_TLS", "MLFLOW_HTTP_REQUEST_TIMEOUT", "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "CINELAB_DATASET_MIRROR");

    private SparkConfs() {}

    /**
     * Adds, unless already set: one OpenMP thread per ND4J executor task (busy-waiting OpenMP threads
     * made training 2-10x slower on small machines; the value changes the last digits, so it is the
     * same as the driver's), and the driver's MLflow credentials and dataset mirror. Spark masks values
     * whose key matches {@code spark.redaction.regex} (token, password) in its UI and logs.
     */
    public static SparkConf withCinelabDefaults(SparkConf conf, Map<String, String> driverEnv) {
        setIfMissing(conf, "spark.executorEnv.OMP_NUM_THREADS", driverEnv.getOrDefault("OMP_NUM_THREADS", "1"));
        for (String name : FORWARDED_ENV) {
            String value = driverEnv.get(name);
            if (value != null && !value.isEmpty()) setIfMissing(conf, "spark.executorEnv." + name, value);
        }
        return conf;
    }

    /**
     * Lets {@code local-cluster[W,C,M]} start its executor JVMs from this JVM's class path (e.g.
     * Maven's jars in a test) instead of {@code $SPARK_HOME/jars}, which a Maven build does not
     * have. Spark's launcher needs {@code SPARK_SCALA_VERSION} (else it looks for Spark's own build
     * directories) and {@code SPARK_TESTING=1} (else it insists on {@code $SPARK_HOME/jars}).
     */
    public static SparkConf forLocalClusterFromClassPath(SparkConf conf) {
        conf.set("spark.executor.extraClassPath", absoluteClassPath(System.getProperty("java.class.path")));
        conf.set("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        conf.set("spark.executorEnv.SPARK_TESTING", "1");
        return conf;
    }

    /** Executors start in their own working directory: a relative class path entry would name nothing there. */
    static String absoluteClassPath(String classPath) {
        StringBuilder sb = new StringBuilder();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            if (sb.length() > 0) sb.append(java.io.File.pathSeparatorChar);
            boolean wildcard = entry.endsWith("*");
            String path = wildcard ? entry.substring(0, entry.length() - 1) : entry;
            sb.append(java.nio.file.Path.of(path.isEmpty() ? "." : path).toAbsolutePath().normalize());
            if (wildcard) sb.append(java.io.File.separatorChar).append('*');
        }
        return sb.toString();
    }

    private static void setIfMissing(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) conf.set(key, value);
    }
}
