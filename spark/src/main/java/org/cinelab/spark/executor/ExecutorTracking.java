package org.cinelab.spark.executor;

import org.cinelab.spark.SparkMasters;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import org.cinelab.tracking.rest.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MLflow tracker on executors. An http(s) server works from anywhere, as long as its host name
 * is not the driver's loopback. A file store works only where every executor sees the same
 * directory: always with a {@code local}/{@code local-cluster} master; with a cluster master only
 * when the user says it is on shared storage, and then each executor proves it (a
 * {@link SharedPathProbe}) before it logs. Each executor JVM opens one tracker per URI and shares it
 * between its tasks; every metric call returns only once the points are stored ({@link DurableTracker}),
 * so a killed executor loses nothing that its trial state claims.
 */
public final class ExecutorTracking {
    private static final Map<String, Tracker> OPEN = new ConcurrentHashMap<>();
    private static final Thread CLOSER = new Thread(ExecutorTracking::closeAll, "cinelab-tracker-close");

    static {
        Runtime.getRuntime().addShutdownHook(CLOSER);
    }

    private ExecutorTracking() {}

    /**
     * On the driver, before any work: checks that executors can reach {@code trackingUri} with this
     * master and returns what tasks need to open it.
     *
     * @param fileStoreShared the user's word that a file store is on storage every executor mounts
     * @throws IllegalArgumentException with the URI, the master and what would work (a bad-input error, exit 2)
     */
    public static TrackingTarget plan(String trackingUri, String master, boolean fileStoreShared) throws IOException {
        String uri = TrackerFactory.resolveUri(trackingUri);
        boolean singleMachine = SparkMasters.isSingleMachine(master);
        if (TrackerFactory.isServerUri(uri)) {
            String host = hostOf(uri);
            if (!singleMachine && isLoopback(host)) {
                throw new IllegalArgumentException("tracking URI " + Secrets.redactUri(uri) + " names this machine's loopback address ("
                        + host + "), but executors of master " + master + " run on other machines and would each log to their own; "
                        + "use a host name the executors can reach, e.g. http://mlflow:5000");
            }
            return new TrackingTarget(uri, null);
        }
        Path root = TrackerFactory.fileStoreRoot(uri);
        if (singleMachine) return new TrackingTarget(uri, null);
        if (!fileStoreShared) {
            throw new IllegalArgumentException("tracking URI " + uri + " is an MLflow file store on this machine, but executors of master "
                    + master + " run on other machines and cannot write to it. Use an MLflow tracking server "
                    + "(--tracking-uri http://host:5000), or, if " + root + " is on storage that every executor mounts at the same path, "
                    + "say so with --shared-file-store");
        }
        SharedPathProbe probe = SharedPathProbe.create(root, "the MLflow file store",
                "Mount it at the same path on every executor, or use an MLflow tracking server (--tracking-uri http://host:5000).");
        return new TrackingTarget(uri, probe);
    }

    /** On an executor: the tracker for {@code target}, opened once per JVM, after proving a file store is shared. */
    public static Tracker open(TrackingTarget target) throws IOException {
        if (target.fileStoreProbe() != null) target.fileStoreProbe().verify();
        Tracker tracker = OPEN.get(target.uri());
        if (tracker != null) return tracker;
        synchronized (OPEN) {
            tracker = OPEN.get(target.uri());
            if (tracker == null) {
                tracker = new DurableTracker(TrackerFactory.open(target.uri()));
                OPEN.put(target.uri(), tracker);
            }
            return tracker;
        }
    }

    /** Closes every tracker this JVM opened (a RestTracker then replays its spool if it used one). */
    static void closeAll() {
        for (Tracker t : OPEN.values()) {
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                System.err.println("cinelab: closing tracker " + t.describe() + " failed: " + e.getMessage());
            }
        }
        OPEN.clear();
    }

    private static String hostOf(String uri) {
        try {
            String host = new URI(uri).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("tracking URI " + Secrets.redactUri(uri) + " is not a valid URL: " + e.getReason());
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
