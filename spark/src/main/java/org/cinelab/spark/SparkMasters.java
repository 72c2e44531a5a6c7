package org.cinelab.spark;

import java.util.Locale;

/** What a Spark master URL says about where executors run. */
public final class SparkMasters {
    private SparkMasters() {}

    /**
     * True when every executor runs on the driver's machine: {@code local}, {@code local[N]},
     * {@code local[N,F]}, {@code local[*]} (the driver's JVM) and {@code local-cluster[W,C,M]}
     * (separate JVMs, same machine). Then local paths mean the same files everywhere.
     */
    public static boolean isSingleMachine(String master) {
        String m = master == null ? "" : master.trim().toLowerCase(Locale.ROOT);
        return m.equals("local") || m.startsWith("local[") || m.startsWith("local-cluster[");
    }
}
