package org.cinelab.tracking.sqlite;

import java.nio.file.Path;
import org.cinelab.tracking.UnsupportedTrackingUriException;

/**
 * A SQLite file CineLab will not use as a tracking store, found when opening it (before any work):
 * not MLflow's, a schema CineLab cannot write, or read-only when it must write. Bad input, exit 2.
 */
public final class UnusableDatabaseException extends UnsupportedTrackingUriException {
    public UnusableDatabaseException(Path database, String message) {
        super(SqliteUris.of(database), message);
    }
}
