package org.cinelab.cli;

import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec file argument shared by validate, plan and run, with {@code --set} overrides: loaded
 * and validated before any work.
 */
final class SpecArgument {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Experiment spec (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a spec value without editing the file, e.g. --set search.max_epochs=9 or "
                    + "--set 'space.lr={loguniform: [0.001, 0.1]}' (YAML value; repeatable; checked like the file "
                    + "and recorded in the logged spec.yaml).")
    List<String> overrides = new ArrayList<>();

    ExperimentSpec load() throws IOException, SpecException {
        return SpecLoader.load(file, overrides);
    }
}
