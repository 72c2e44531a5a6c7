package org.cinelab.spec;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The examples in docs/spec.md are what the loader does: the full example loads, the error example reports what the page shows. */
class SpecDocsTest {
    private static List<String> blocks;

    @BeforeAll
    static void readDocs() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/spec.md"))) dir = dir.getParent();
        Assumptions.assumeTrue(dir != null, "docs/spec.md not found above the working directory: skipping");
        Matcher m = Pattern.compile("```(?:yaml|text)\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(dir.resolve("docs/spec.md")));
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
    void theResolvedYamlExampleIsWhatTheMinimalSpecResolvesTo() throws Exception {
        assertEquals(blocks.get(4), SpecLoader.loadString(blocks.get(3), Path.of("min.yaml")).resolvedYaml());
    }
}
