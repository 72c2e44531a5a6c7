package org.cinelab.spec;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and validates a YAML experiment spec. (Stub: being written.) */
public final class SpecLoader {
    private SpecLoader() {}

    public static ExperimentSpec load(Path file) throws IOException, SpecException {
        throw new UnsupportedOperationException("not written yet");
    }
}
