package org.cinelab.spark.executor;

import java.io.IOException;

/** A directory the driver named is not visible, or not the same, on an executor. The message says what to do. */
public final class SharedStorageException extends IOException {
    public SharedStorageException(String message) { super(message); }

    public SharedStorageException(String message, Throwable cause) { super(message, cause); }
}
