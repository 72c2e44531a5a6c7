package org.cinelab.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReportDefinitionTest {

    private static ReportDefinitionException refused(Path tmp, String yaml) throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ReportDefinitionException.class, () -> ReportDefinition.load(file));
    }

    private static final String ROW = """
            title: t
            rows:
              - label: a
                experiment: e
                spec: experiments/e.yaml
            """;

    @Test
    void aMissingMetricIsReportedWithFileLineAndField(@TempDir Path tmp) throws Exception {
        var e = refused(tmp, ROW);
        assertTrue(e.getMessage().endsWith("bad.yaml:3: field 'rows[0].metric': required key missing (or give metrics: [...])"), e.getMessage());
    }

    @Test
    void anUnknownDirectionNamesTheValidWords(@TempDir Path tmp) throws Exception {
        var e = refused(tmp, ROW + "    metric: rmse\n    direction: down\n");
        assertTrue(e.getMessage().contains("bad.yaml:7: field 'rows[0].direction': 'down', expected lower or higher"), e.getMessage());
    }

    @Test
    void aMisspelledKeyListsTheValidKeys(@TempDir Path tmp) throws Exception {
        var e = refused(tmp, ROW + "    metric: rmse\n    direction: lower\n    papr: 1\n");
        assertTrue(e.getMessage().contains("bad.yaml:8: field 'rows[0].papr': unknown key"), e.getMessage());
    }

    @Test
    void theShorthandRowBecomesOneMetricAndSeedsDefaultToOneTwoThree(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("s3-autoencoder.yaml");
        Files.writeString(file, ROW + "    metric: best_test_rmse\n    paper: 0.95\n    direction: lower\n");
        ReportDefinition def = ReportDefinition.load(file);
        assertEquals("s3-autoencoder", def.name());
        assertEquals(List.of(1, 2, 3), def.seeds());
        ReportDefinition.Metric m = def.rows().get(0).metrics().get(0);
        assertEquals(0.95, m.paper());
        assertEquals(ReportDefinition.RunKind.PARENT, m.run());
        assertEquals("for N in 1 2 3; do ./cinelab run experiments/e.yaml --seed $N; done", def.rows().get(0).command());
    }

    @Test
    void theRepositorysReportDefinitionsAllLoad() throws Exception {
        Path dir = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("experiments/reports"))) {
                dir = p.resolve("experiments/reports");
                break;
            }
        }
        assertNotNull(dir, "experiments/reports not found");
        try (var files = Files.list(dir)) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertFalse(yamls.isEmpty());
            for (Path f : yamls) assertFalse(ReportDefinition.load(f).rows().isEmpty(), f.toString());
        }
    }
}
