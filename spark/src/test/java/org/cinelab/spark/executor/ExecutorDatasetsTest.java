package org.cinelab.spark.executor;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.data.catalog.DatasetCatalog;
import org.cinelab.data.catalog.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ExecutorDatasetsTest {
    @TempDir Path tmp;

    private static final Map<String, Object> OPTIONS = Map.of("validation_ratio", 0.1);

    private PreparedData driverLoad(Path dataDir) throws IOException {
        return new MovieLens100k().load(new DatasetRequest("u1", OPTIONS, 1, dataDir, s -> {}));
    }

    private ExecutorDatasets datasets() {
        return new ExecutorDatasets(DatasetCatalog.bundled(), tmp.resolve("local-cache"), null);
    }

    @Test
    void dataFromASharedDirLoadsOncePerJvmWithTheDriversSplitId() throws IOException {
        Path shared = tmp.resolve("shared");
        SyntheticMovieLens.write(shared, 3000, 300, 5);
        PreparedData onDriver = driverLoad(shared);
        DataSource source = new DataSource(MovieLens100k.NAME, "u1", OPTIONS, 1,
                SharedPathProbe.create(shared, "the data dir", "Mount it."), null, onDriver.splitId());
        PreparedData first = datasets().load(source);
        assertEquals(onDriver.splitId(), first.splitId());
        assertSame(first, datasets().load(source), "the second task of this JVM reuses the loaded data");
    }

    @Test
    void otherFilesOnAnExecutorAreRefusedNamingBothSplitIds() throws IOException {
        Path shared = tmp.resolve("shared");
        SyntheticMovieLens.write(shared, 3000, 300, 5);
        DataSource source = new DataSource(MovieLens100k.NAME, "u1", OPTIONS, 2,
                SharedPathProbe.create(shared, "the data dir", "Mount it."), null, "0123abcd");
        DatasetException e = assertThrows(DatasetException.class, () -> datasets().load(source));
        assertTrue(e.getMessage().contains("0123abcd") && e.getMessage().contains("split id") && e.getMessage().contains(shared.toString()),
                e.getMessage());
    }

    @Test
    void aSharedDirWithoutTheDatasetSaysSo() throws IOException {
        Path shared = tmp.resolve("empty-shared");
        DataSource source = new DataSource(MovieLens100k.NAME, "u1", OPTIONS, 1,
                SharedPathProbe.create(shared, "the data dir", "Mount it."), null, null);
        DatasetException e = assertThrows(DatasetException.class, () -> datasets().dataDir(source));
        assertTrue(e.getMessage().contains("not in the shared data dir") && e.getMessage().contains("ml-100k"), e.getMessage());
    }

    @Test
    void aLoginOnlyDatasetMissingFromTheLocalCacheNamesTheAlternatives() {
        DataSource source = new DataSource("netflix-prize", null, Map.of(), 1, null, null, null);
        DatasetException e = assertThrows(DatasetException.class, () -> datasets().dataDir(source));
        assertTrue(e.getMessage().contains("netflix-prize") && e.getMessage().contains("--data-dir"), e.getMessage());
    }
}
