package org.cinelab.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A subcommand that prints through picocli's writer, so tests and embedders can capture it. */
abstract class CineLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec commandSpec;

    PrintWriter out() { return commandSpec.commandLine().getOut(); }
}
