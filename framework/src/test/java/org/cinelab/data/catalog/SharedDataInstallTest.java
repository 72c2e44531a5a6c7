package org.cinelab.data.catalog;

import org.cinelab.testsupport.DirectoryHttpServer;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every dataset of ../shared/data installs through the real catalog: fetched over HTTP, or imported. */
class SharedDataInstallTest {
    @TempDir Path cache;

    private Path shared;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void locateSharedData() {
        shared = SharedData.find();
        SharedData.assumePresent(shared != null, SharedData.SKIP);
    }

    private DatasetInstaller installer(String mirror) {
        return new DatasetInstaller(DatasetCatalog.bundled(), mirror, null, log::add);
    }

    @Test
    void movielens_100k_and_latest_small_fetch_through_an_http_mirror_of_the_shared_folder() throws Exception {
        try (DirectoryHttpServer server = new DirectoryHttpServer(shared)) {
            DatasetInstaller inst = installer(server.baseUrl() + "/");
            for (String name : List.of("movielens-100k", "movielens-latest-small")) {
                inst.fetch(name, cache);
                VerificationReport r = inst.verify(name, cache);
                assertTrue(r.ok(), r.describe());
            }
            assertEquals(21, inst.verify("movielens-100k", cache).checkedSha256());
            assertEquals(5, inst.verify("movielens-latest-small", cache).checkedSha256());
            assertTrue(server.requests().stream().anyMatch(r -> r.path().equals("/ml-100k.zip") && r.status() == 404));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("no ml-100k.zip at the mirror")), log.toString());
    }

    @Test
    void the_shared_folder_itself_verifies_as_a_cache() throws Exception {
        DatasetInstaller inst = installer(null);
        for (String name : List.of("movielens-100k", "movielens-latest-small", "netflix-titles")) {
            assertTrue(inst.verify(name, shared).ok(), inst.verify(name, shared).describe());
        }
    }

    @Test
    void both_netflix_titles_versions_import_from_their_csv_files_side_by_side() throws Exception {
        Path older = cache.resolveSibling(cache.getFileName() + "-download").resolve("netflix_titles.csv");
        Files.createDirectories(older.getParent());
        Files.copy(shared.resolve("netflix-titles/netflix_titles_7787.csv"), older);
        DatasetInstaller inst = installer(null);
        inst.importFrom("netflix-titles", older, cache);
        assertTrue(Files.isRegularFile(cache.resolve("netflix-titles/netflix_titles_7787.csv")), "stored under the name of the version it matches");
        inst.importFrom("netflix-titles", shared.resolve("netflix-titles/netflix_titles.csv"), cache);
        VerificationReport r = inst.verify("netflix-titles", cache);
        assertTrue(r.ok(), r.describe());
        assertEquals(2, r.checkedSha256());
    }

    @Test
    void a_csv_that_is_no_known_version_is_refused_with_the_known_checksums() throws Exception {
        Path edited = cache.resolveSibling(cache.getFileName() + "-edited.csv");
        Files.writeString(edited, "show_id,type,title\ns1,Movie,X\n");
        DatasetException e = assertThrows(DatasetException.class, () -> installer(null).importFrom("netflix-titles", edited, cache));
        assertTrue(e.getMessage().contains("matches no known file") && e.getMessage().contains("ed517a096f66b6e2160e81f19b91945eda53dcae400030d8e94ee6e28fbf73de"),
                e.getMessage());
        assertFalse(Files.exists(cache.resolve("netflix-titles")));
    }

    @Test
    void the_netflix_prize_sample_imports_as_netflix_prize_in_its_original_layout() throws Exception {
        DatasetInstaller inst = installer(null);
        inst.importFrom("netflix-prize", shared.resolve("netflix-prize-sample"), cache);
        VerificationReport r = inst.verify("netflix-prize", cache);
        assertTrue(r.ok(), r.describe());
        assertEquals(11, r.checkedSha256());
    }

    @Test
    void importing_the_parent_of_a_dataset_folder_picks_the_upstream_folder() throws Exception {
        DatasetInstaller inst = installer(null);
        inst.importFrom("movielens-latest-small", shared, cache);
        assertTrue(inst.verify("movielens-latest-small", cache).ok());
    }
}
