package org.cinelab.data;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a dataset's folder in the data directory, where it lives under its upstream folder name. */
final class DatasetLocator {
    private DatasetLocator() {}

    static Path locate(String name, String folder, DatasetRequest request) throws FileNotFoundException {
        Path dir = request.dataDir().resolve(folder);
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("dataset " + name + " not found at " + dir.toAbsolutePath()
                    + ": run 'cinelab datasets fetch " + name + "' or point --data-dir / CINELAB_DATA at a folder holding " + folder + "/");
        }
        return dir;
    }
}
