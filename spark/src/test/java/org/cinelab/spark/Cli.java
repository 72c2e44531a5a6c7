package org.cinelab.spark;

import org.cinelab.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** {@code cinelab ...} in this JVM, as a user types it: exit code and output. */
final class Cli {
    record Outcome(int exit, String out, String err) {
        @Override
        public String toString() { return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err; }
    }

    private Cli() {}

    static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }
}
