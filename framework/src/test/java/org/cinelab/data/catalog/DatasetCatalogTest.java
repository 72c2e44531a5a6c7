package org.cinelab.data.catalog;

import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DatasetCatalogTest {
    private final DatasetCatalog catalog = DatasetCatalog.bundled();

    @Test
    void the_bundled_catalog_lists_the_five_datasets_under_their_upstream_folder_names() {
        Map<String, String> folders = new HashMap<>();
        for (CatalogEntry e : catalog.entries()) folders.put(e.name(), e.folder());
        assertEquals(Map.of("movielens-100k", "ml-100k", "movielens-1m", "ml-1m", "movielens-latest-small", "ml-latest-small",
                "netflix-titles", "netflix-titles", "netflix-prize", "netflix-prize"), folders);
    }

    @Test
    void movielens_is_a_public_download_and_the_kaggle_data_needs_an_import() throws Exception {
        assertTrue(catalog.get("movielens-1m").isPublicDownload());
        assertEquals("https://files.grouplens.org/datasets/movielens/ml-1m.zip", catalog.get("movielens-1m").archive().url());
        assertFalse(catalog.get("netflix-titles").isPublicDownload());
        assertFalse(catalog.get("netflix-prize").isPublicDownload());
        assertEquals("cinelab datasets import netflix-titles --from path/to/netflix_titles.csv", catalog.get("netflix-titles").importCommand(null));
    }

    @Test
    void every_entry_has_a_licence_and_a_citation() {
        for (CatalogEntry e : catalog.entries()) {
            assertNotNull(e.licence(), e.name());
            assertNotNull(e.citation(), e.name());
        }
    }

    @Test
    void an_unknown_name_is_an_error_that_lists_the_valid_names() {
        DatasetException e = assertThrows(DatasetException.class, () -> catalog.get("movielens-20m"));
        assertTrue(e.getMessage().contains("movielens-100k, movielens-1m"), e.getMessage());
    }

    @Test
    void member_checksums_equal_the_shared_SHA256SUMS() throws Exception {
        Path shared = SharedData.find();
        SharedData.assumePresent(shared != null, SharedData.SKIP);
        Map<String, String> folderOf = Map.of("ml-100k", "movielens-100k", "ml-latest-small", "movielens-latest-small",
                "netflix-titles", "netflix-titles", "netflix-prize-sample", "netflix-prize");
        int compared = 0;
        for (String line : Files.readAllLines(shared.resolve("SHA256SUMS"))) {
            String sha = line.substring(0, 64);
            String path = line.substring(66);
            String folder = path.substring(0, path.indexOf('/'));
            CatalogEntry e = catalog.get(folderOf.get(folder));
            CatalogEntry.Member m = e.member(path.substring(folder.length() + 1)).orElseThrow(() -> new AssertionError("not in catalog: " + path));
            assertEquals(sha, m.sha256(), path);
            assertEquals(Files.size(shared.resolve(path)), m.size(), path);
            compared++;
        }
        assertEquals(39, compared);
    }

    @Test
    void a_catalog_with_an_unknown_field_is_rejected_naming_the_source() {
        String yaml = "version: 1\ndatasets:\n  - name: x\n    folder: x\n    sha: 12\n";
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetCatalog.parse(new java.io.ByteArrayInputStream(yaml.getBytes()), "test.yaml"));
        assertTrue(e.getMessage().startsWith("cannot read dataset catalog test.yaml"), e.getMessage());
    }

    @Test
    void the_data_dir_is_the_cli_override_then_CINELAB_DATA_then_datasets_cache() {
        assertEquals(Path.of("/x/cache"), DataDirs.resolve(Path.of("/x/cache"), Map.of("CINELAB_DATA", "/y")));
        assertEquals(Path.of("/y"), DataDirs.resolve(null, Map.of("CINELAB_DATA", "/y")));
        assertEquals(Path.of("datasets/cache").toAbsolutePath(), DataDirs.resolve(null, Map.of()));
        assertEquals(List.of(), catalog.find("movielens-100k").orElseThrow().requireAnyOf());
    }
}
