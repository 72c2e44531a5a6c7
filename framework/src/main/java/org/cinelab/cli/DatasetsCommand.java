package org.cinelab.cli;

import picocli.CommandLine.Command;

/** {@code cinelab datasets}: list, info, fetch, import, verify. (Stub: being written.) */
@Command(name = "datasets", description = "Manage the dataset cache.")
public final class DatasetsCommand {
}
