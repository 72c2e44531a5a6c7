package org.cinelab.data.text;

import org.cinelab.data.text.PadSequences.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PadSequencesTest {
    private static final List<int[]> SEQS = List.of(new int[] {1, 2, 3}, new int[] {4, 5}, new int[] {6, 7, 8, 9, 10}, new int[0]);

    @Test
    void preTruncationKeepsTheLastWordsAndPrePaddingFillsTheFront() {
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {0, 0, 4, 5}, {7, 8, 9, 10}, {0, 0, 0, 0}}, PadSequences.pad(SEQS, 4));
    }

    @Test
    void postPaddingAndPostTruncationWorkAtTheBack() {
        assertArrayEquals(new int[][] {{1, 2, 3, 0}, {4, 5, 0, 0}, {6, 7, 8, 9}, {0, 0, 0, 0}},
                PadSequences.pad(SEQS, 4, Side.POST, Side.POST, 0));
        assertArrayEquals(new int[][] {{1, 2, 3, -1}, {4, 5, -1, -1}, {7, 8, 9, 10}, {-1, -1, -1, -1}},
                PadSequences.pad(SEQS, 4, Side.POST, Side.PRE, -1));
    }

    @Test
    void withoutALengthEverySequenceIsPaddedToTheLongest() {
        assertArrayEquals(new int[][] {{0, 0, 1, 2, 3}, {0, 0, 0, 4, 5}, {6, 7, 8, 9, 10}, {0, 0, 0, 0, 0}},
                PadSequences.padToLongest(SEQS));
    }
}
