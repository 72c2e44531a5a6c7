package org.cinelab.report;

import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    private static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("experiments/reports"))) return p;
        }
        return fail("experiments/reports not found");
    }

    @Test
    void theRepositorysReportDefinitionsAllLoad() throws Exception {
        Path dir = projectRoot().resolve("experiments/reports");
        try (var files = Files.list(dir)) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertFalse(yamls.isEmpty());
            for (Path f : yamls) assertFalse(ReportDefinition.load(f).rows().isEmpty(), f.toString());
        }
    }

    /** A row pointing at a missing spec, another experiment name or a metric its model never logs would stay "not run yet" forever. */
    @ParameterizedTest
    @ValueSource(strings = {"s2-movielens-tfrs", "s3-autoencoder"})
    void recommenderStudyRowsPointAtSpecsThatLogTheirMetrics(String report) throws Exception {
        Path root = projectRoot();
        ReportDefinition def = ReportDefinition.load(root.resolve("experiments/reports/" + report + ".yaml"));
        for (ReportDefinition.Row row : def.rows()) {
            ExperimentSpec spec = SpecLoader.load(root.resolve(row.spec()));
            assertEquals(row.experiment(), spec.name(), row.label());
            List<String> logged = ModelRegistry.find(spec.model().type()).orElseThrow().metricNames();
            for (ReportDefinition.Metric m : row.metrics()) {
                String prefix = m.run() == ReportDefinition.RunKind.PARENT ? "(best_test|best_val|refit_test)_" : "(test|val)_";
                String base = m.metric().replaceFirst("^" + prefix, "");
                assertNotEquals(m.metric(), base, row.label() + ": " + m.metric() + " lacks the " + prefix + " prefix");
                if (m.metric().startsWith("refit_")) assertTrue(spec.search().refit(), row.label() + ": " + row.spec() + " does not refit");
                assertTrue(logged.contains(base), row.label() + ": " + spec.model().type() + " logs no " + base + "; it logs " + logged);
            }
        }
        for (ReportDefinition.Plot plot : def.plots()) {
            if (plot.kind() == ReportDefinition.PlotKind.BEST_VS_EPOCHS) {
                for (ReportDefinition.Search search : plot.searches()) {
                    assertEquals(search.experiment(), SpecLoader.load(root.resolve(search.spec())).name(), plot.file());
                }
                continue;
            }
            ExperimentSpec spec = SpecLoader.load(root.resolve(plot.spec()));
            assertEquals(plot.experiment(), spec.name(), plot.file());
            assertTrue(spec.space().params().containsKey(plot.x()), plot.file() + ": x " + plot.x() + " is not searched");
        }
    }
}
