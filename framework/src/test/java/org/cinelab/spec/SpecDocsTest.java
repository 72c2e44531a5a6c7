package org.cinelab.spec;

import org.cinelab.cli.Main;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples in docs/spec.md are what the loader does with the live registries: the full example
 * loads, the error example reports what the page shows (also through {@code cinelab validate}, with
 * the exit status the page gives), and the minimal spec resolves to the YAML shown.
 */
class SpecDocsTest {
    private static String page;
    private static List<String> blocks;

    @BeforeAll
    static void readDocs() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/spec.md"))) dir = dir.getParent();
        SharedData.assumePresent(dir != null, "docs/spec.md not found above the working directory: skipping");
        page = Files.readString(dir.resolve("docs/spec.md"));
        Matcher m = Pattern.compile("```(?:yaml|text)\\n(.*?)```", Pattern.DOTALL).matcher(page);
        blocks = new ArrayList<>();
        while (m.find()) blocks.add(m.group(1));
    }

    @Test
    void theAnnotatedFullExampleIsAValidSpec() {
        assertDoesNotThrow(() -> SpecLoader.loadString(blocks.get(0), Path.of("docs-example.yaml")));
    }

    @Test
    void theErrorExampleReportsExactlyTheLinesShown() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.loadString(blocks.get(1), Path.of("experiments/q.yaml")));
        assertEquals(blocks.get(2).strip(), e.getMessage());
    }

    @Test
    void cinelabValidatePrintsTheErrorExampleIndentedUnderAHeaderAndExitsWithTheStatusThePageGives(@TempDir Path dir)
            throws Exception {
        Path spec = dir.resolve("q.yaml");
        Files.writeString(spec, blocks.get(1));
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int status = cli.execute("validate", spec.toString());

        List<String> documented = blocks.get(2).strip().lines().toList();
        List<String> expected = Stream.concat(
                Stream.of("error: invalid spec (" + documented.size() + " problems):"),
                documented.stream().map(line -> "  " + line.replace("experiments/q.yaml", spec.toString()))).toList();
        assertEquals(expected, err.toString().lines().toList());
        assertEquals(Main.EXIT_BAD_INPUT, status);
        assertTrue(page.contains("`cinelab validate SPEC`") && page.contains("exits with status " + status),
                "docs/spec.md says that cinelab validate exits with status " + status);
    }

    @Test
    void theResolvedYamlExampleIsWhatTheMinimalSpecResolvesTo() throws Exception {
        assertEquals(blocks.get(4), SpecLoader.loadString(blocks.get(3), Path.of("min.yaml")).resolvedYaml());
    }
}
