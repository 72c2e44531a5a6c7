package org.cinelab.models.dl4j;

import org.cinelab.models.TrialModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports a model and returns the exported model.zip, checking the README is there too. */
public final class ExportedModels {
    private ExportedModels() {}

    public static Path export(TrialModel m, Path dir) throws IOException {
        m.exportModel(dir);
        assertTrue(Files.exists(dir.resolve("README.txt")));
        Path zip = dir.resolve("model.zip");
        assertTrue(Files.size(zip) > 0);
        return zip;
    }
}
