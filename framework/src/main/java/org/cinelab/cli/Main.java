package org.cinelab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code cinelab <command>}. Exit codes: 0 ok, 1 failure, 2 bad input (spec or usage). */
@Command(name = "cinelab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Declare an experiment in YAML; CineLab plans, trains and logs it to MLflow.",
        subcommands = {DatasetsCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
