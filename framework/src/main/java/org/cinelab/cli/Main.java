package org.cinelab.cli;

import org.cinelab.data.catalog.DatasetException;
import org.cinelab.io.UserMessages;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecProblem;
import org.cinelab.tracking.UnsupportedTrackingUriException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * Entry point: {@code cinelab <command>}. Exit codes: 0 success, 1 failure while working,
 * 2 bad input (spec, usage, tracking URI, resume request) found before any work started,
 * 130 interrupted (Ctrl-C) with a resumable state.
 */
@Command(name = "cinelab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT, // -h/--help and -V/--version on every subcommand
        description = "Declare an experiment in YAML; CineLab plans it, trains it and logs it to MLflow.",
        subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, ModelsCommand.class,
                DatasetsCommand.class, BenchCommand.class, ReportCommand.class, ReproduceCommand.class, RunsCommand.class, CompareCommand.class, SyncCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERRUPTED = 130;

    @Option(names = Logging.VERBOSE_OPTION, scope = ScopeType.INHERIT,
            description = "Also show the INFO lines of ND4J, DL4J and Tribuo (hidden by default).")
    boolean verbose; // read from the raw arguments by Logging.configure, before any logger exists

    public static void main(String[] args) {
        Logging.configure(java.util.Arrays.asList(args));
        CommandLine cl = commandLine();
        int exit = cl.execute(args);
        cl.getOut().flush(); // print() does not autoflush, and System.exit would drop the rest
        cl.getErr().flush();
        System.exit(exit);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        // A benchmark's own options (--ratings N) pass through to it.
        cl.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().name("completion").usageMessage().hidden(false)
                .description("Print a bash/zsh completion script: source <(cinelab completion)");
        cl.addSubcommand("completion", completion);
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof ExperimentRunner.InterruptedRunException) {
            return EXIT_INTERRUPTED; // the shutdown hook has said what happened and how to resume
        }
        if (e instanceof SpecException se) {
            err.println("error: invalid spec (" + se.problems().size() + " problem" + (se.problems().size() == 1 ? "" : "s") + "):");
            for (SpecProblem p : se.problems()) err.println("  " + p);
            err.flush();
            return EXIT_BAD_INPUT;
        }
        if (e instanceof UnsupportedTrackingUriException || e instanceof ExperimentRunner.ResumeException
                || e instanceof ExperimentRunner.RefitUnsupportedException || e instanceof BadInputException
                || e instanceof org.cinelab.runner.ExecutionLock.HeldException
                || e instanceof ExperimentRunner.UnwritableException
                || e instanceof org.cinelab.tracking.rest.RestTracker.Unreachable
                || e instanceof org.cinelab.runner.Reproduction.Refused) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        if (e instanceof DatasetException) { // says what to do; a stack trace would not help
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_FAILURE;
        }
        err.println("error: " + UserMessages.of(e));
        if (System.getenv("CINELAB_DEBUG") != null) e.printStackTrace(err);
        else err.println("(set CINELAB_DEBUG=1 for a stack trace)");
        err.flush();
        return EXIT_FAILURE;
    }

    /** Bad command-line input detected by a command itself; exit code 2. */
    public static final class BadInputException extends RuntimeException {
        public BadInputException(String message) { super(message); }
    }
}
