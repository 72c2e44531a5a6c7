package org.cinelab.data.text;

import org.cinelab.testing.SharedData;
import org.cinelab.data.netflix.NetflixTitles;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TitlesTextPipelineTest {
    @Test
    void theStudyPipelineTurns7787DescriptionsIntoScaledRowsOf1500() throws Exception {
        NetflixTitles titles = NetflixTitles.read(SharedData.dir("netflix-titles").resolve("netflix_titles_7787.csv"));
        List<String> descriptions = titles.column(NetflixTitles.Column.DESCRIPTION);
        KerasTokenizer tokenizer = new KerasTokenizer(10_000, null).fitOnTexts(descriptions);
        List<int[]> sequences = tokenizer.textsToSequences(descriptions);
        int[][] padded = PadSequences.pad(sequences, 1500);
        float[][] x = MinMaxScaler.fit(padded).transformToFloat(padded);

        assertEquals(7787, x.length);
        assertEquals(1500, x[0].length);
        int maxIndex = 0;
        for (int[] row : padded) for (int v : row) maxIndex = Math.max(maxIndex, v);
        assertEquals(9999, maxIndex, "num_words 10,000 keeps indices 1..9999");
        for (float[] row : x) for (float v : row) assertTrue(v >= 0f && v <= 1f);
        int[] first = sequences.get(0);
        assertEquals(first[first.length - 1], padded[0][1499], "pre-padding keeps the words at the end");
    }
}
