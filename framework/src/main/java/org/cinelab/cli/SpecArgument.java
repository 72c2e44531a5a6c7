package org.cinelab.cli;

import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecLoader;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/** The spec file argument shared by validate, plan and run: loaded and validated before any work. */
final class SpecArgument {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Experiment spec (YAML).")
    Path file;

    ExperimentSpec load() throws IOException, SpecException {
        return SpecLoader.load(file);
    }
}
