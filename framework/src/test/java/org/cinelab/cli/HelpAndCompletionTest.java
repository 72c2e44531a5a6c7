package org.cinelab.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers -h/--help with its usage and exit 0; the shell completion script names them all. */
class HelpAndCompletionTest {
    @ParameterizedTest
    @ValueSource(strings = {"validate", "plan", "run", "models", "report", "sync", "bench", "datasets",
            "datasets list", "datasets info", "datasets fetch", "datasets import", "datasets verify", "completion"})
    void everyCommandPrintsItsUsageOnHelp(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            String[] args = (command + " " + flag).split(" ");
            CliTest.Outcome o = CliTest.run(args);
            assertEquals(0, o.exit(), command + " " + flag + ": " + o.err());
            assertTrue(o.out().startsWith("Usage: cinelab " + command), command + " " + flag + ":\n" + o.out());
            assertEquals("", o.err(), command + " " + flag);
        }
    }

    @Test
    void theTopLevelHelpListsTheCompletionCommand() {
        CliTest.Outcome o = CliTest.run("--help");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("completion"), o.out());
    }

    @Test
    void completionPrintsABashAndZshScriptCoveringEverySubcommandAndOption() {
        CliTest.Outcome o = CliTest.run("completion");
        assertEquals(0, o.exit(), o.err());
        String script = o.out();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.substring(0, 200));
        assertTrue(script.contains("complete -F _complete_cinelab"), "registers the function for cinelab");
        assertTrue(script.contains("autoload -U +X bashcompinit"), "works in zsh through bashcompinit");
        for (String word : new String[] {"validate", "plan", "run", "models", "report", "sync", "bench", "datasets",
                "fetch", "import", "--tracking-uri", "--resume", "--data-dir", "--state-dir", "--verbose"}) {
            assertTrue(script.contains(word), "completes " + word);
        }
    }

    @Test
    void bashAcceptsTheScriptAndCompletesTheSubcommands(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("cinelab.bash"), CliTest.run("completion").out());
        Process p = new ProcessBuilder("bash", "-c", "source " + file + " && complete -p cinelab"
                + " && COMP_WORDS=(cinelab da) COMP_CWORD=1 COMP_LINE='cinelab da' COMP_POINT=10 && _complete_cinelab"
                + " && echo \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("-F _complete_cinelab cinelab"), out);
        assertTrue(out.trim().endsWith("datasets"), out);
    }
}
