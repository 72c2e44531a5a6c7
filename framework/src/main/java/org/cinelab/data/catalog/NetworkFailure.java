package org.cinelab.data.catalog;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Says in words what stopped a download: no DNS answer, a refused connection, a timeout, a TLS
 * failure. Java's HTTP client often throws a {@code ConnectException} without a message whose cause
 * holds the real reason, which printed as "null" before.
 */
final class NetworkFailure {
    private NetworkFailure() {}

    /** A phrase such as "the connection to 127.0.0.1:9 was refused (nothing listens there)". */
    static String describe(Throwable failure, URI source, Duration connectTimeout) {
        String host = source.getHost() == null ? String.valueOf(source) : source.getHost();
        int port = source.getPort() >= 0 ? source.getPort() : "https".equalsIgnoreCase(source.getScheme()) ? 443 : 80;
        String at = host + ":" + port;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "the host " + host + " could not be found (no DNS answer: offline, or a proxy is needed?)";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connecting to " + at + " timed out after " + connectTimeout.toSeconds() + " s";
            }
            if (t instanceof HttpTimeoutException) return at + " sent no answer in time";
            if (t instanceof NoRouteToHostException) return "there is no route to " + at + " (offline?)";
            if (t instanceof SSLException) return "the TLS handshake with " + host + " failed" + detail(t);
        }
        String message = rootMessage(failure);
        boolean connect = false;
        for (Throwable t = failure; t != null; t = t.getCause()) connect |= t instanceof ConnectException;
        // Java's client reports a refused connection as ConnectException(null) over ClosedChannelException.
        if (connect && (message == null || message.contains("refused"))) {
            return "the connection to " + at + " was refused (nothing listens there, or a firewall rejects it)";
        }
        return "the connection to " + at + " failed" + (message == null ? "" : ": " + message);
    }

    /** The innermost message: wrappers built from a cause repeat it after the cause's class name. */
    private static String rootMessage(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
        }
        return message;
    }

    private static String detail(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage();
    }

    /** A download that could not reach its source, or was refused by it: the installer adds the ways on. */
    static final class DownloadFailedException extends DatasetException {
        final URI source;
        final String reason;

        DownloadFailedException(URI source, String reason, IOException cause) {
            super("cannot download " + source + ": " + reason, cause);
            this.source = source;
            this.reason = reason;
        }
    }
}
