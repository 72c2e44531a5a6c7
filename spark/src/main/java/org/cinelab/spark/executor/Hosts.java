package org.cinelab.spark.executor;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name, for messages that say where something happened. */
final class Hosts {
    private Hosts() {}

    static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "unknown-host";
        }
    }
}
