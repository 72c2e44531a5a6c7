package org.cinelab.data.catalog;

import java.io.IOException;

/**
 * A dataset cannot be installed, verified or read as asked; the message names the dataset, the
 * file and what was expected, so that it can be shown to the user as is.
 */
public class DatasetException extends IOException {
    public DatasetException(String message) { super(message); }

    public DatasetException(String message, Throwable cause) { super(message, cause); }
}
