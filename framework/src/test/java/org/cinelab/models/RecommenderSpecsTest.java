package org.cinelab.models;

import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The S2 and S3 study specs load against the live model and dataset registries and carry the published numbers. */
class RecommenderSpecsTest {

    private static List<Path> studySpecs() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("experiments/quickstart.yaml"))) dir = dir.getParent();
        assertNotNull(dir, "experiments/ not found above the working directory");
        try (Stream<Path> files = Files.list(dir.resolve("experiments"))) {
            return files.filter(p -> p.getFileName().toString().matches("s[23]-.*\\.yaml")).sorted().toList();
        }
    }

    @Test
    void everyStudySpecLoadsAndRecordsTheStudysNumbers() throws Exception {
        List<Path> specs = studySpecs();
        assertTrue(specs.size() >= 8, "expected the S2 and S3 specs, found " + specs);
        for (Path p : specs) {
            ExperimentSpec spec = SpecLoader.load(p);
            assertTrue(ModelRegistry.find(spec.model().type()).isPresent(), p.toString());
            assertNotNull(spec.paper(), p + " has no paper: section");
            assertTrue(spec.paper().containsKey("source"), p + " paper: names no source");
        }
    }
}
