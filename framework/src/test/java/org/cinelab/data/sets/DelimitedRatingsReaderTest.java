package org.cinelab.data.sets;

import org.cinelab.data.IdIndex;
import org.cinelab.data.sets.DelimitedRatingsReader;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.catalog.RatingStats;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DelimitedRatingsReaderTest {
    @TempDir Path tmp;

    @Test
    void movielens_100k_u_data_has_the_readme_counts_and_histogram() throws Exception {
        Path shared = SharedData.find();
        SharedData.assumePresent(shared != null, SharedData.SKIP);
        DelimitedRatingsReader.Result r = new DelimitedRatingsReader("\t", false, StandardCharsets.US_ASCII, 1, 5)
                .read(shared.resolve("ml-100k/u.data"), DelimitedRatingsReader.OnError.FAIL);
        RatingStats stats = RatingStats.of(r.table(), r.users().size(), r.items().size());
        assertEquals(100_000, stats.ratings());
        assertEquals(943, stats.users());
        assertEquals(1_682, stats.items());
        assertEquals(Map.of(1f, 6110L, 2f, 11370L, 3f, 27145L, 4f, 34174L, 5f, 21201L), stats.histogram());
        assertEquals(1 - 100_000.0 / (943 * 1682), stats.sparsity(), 1e-12);
        assertTrue(stats.describe().contains("time span 1997-09-20 .. 1998-04-22"), stats.describe());
    }

    @Test
    void bytes_invalid_in_the_declared_encoding_are_an_error_naming_the_file() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.write(f, new byte[] {'1', ',', '2', ',', '3', ',', '4', '\n', (byte) 0xE9, ',', '1', ',', '1', ',', '1', '\n'});
        DatasetException e = assertThrows(DatasetException.class, () -> new DelimitedRatingsReader(",", false, StandardCharsets.UTF_8, 1, 5)
                .read(f, DelimitedRatingsReader.OnError.FAIL));
        assertTrue(e.getMessage().startsWith("bad.csv at or after line"), e.getMessage());
    }

    @Test
    void id_index_maps_raw_ids_to_dense_ids_and_back() {
        IdIndex idx = new IdIndex();
        for (long raw = 1_000_000; raw < 1_000_000 + 5000; raw += 1) idx.add(raw * 31);
        assertEquals(5000, idx.size());
        assertEquals(0, idx.add(31_000_000L));
        assertEquals(4999, idx.denseOf(1_004_999L * 31));
        assertEquals(-1, idx.denseOf(7));
        assertEquals(1_000_123L * 31, idx.rawOf(123));
    }
}
