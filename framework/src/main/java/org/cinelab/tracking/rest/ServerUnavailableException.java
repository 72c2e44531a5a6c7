package org.cinelab.tracking.rest;

import java.io.IOException;

/** The server stayed unreachable (or kept answering 5xx) through every retry of a {@link RetryPolicy}. */
public class ServerUnavailableException extends IOException {
    public ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
