package org.cinelab.search;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeedsTest {

    @Test
    void derivedSeedsNeverChangeAcrossVersions() {
        assertEquals(8923894344448887881L, Seeds.derive(42, "t001"));
        assertEquals(-3222030328726932579L, Seeds.derive(42, "t002"));
        assertEquals(5197578548964807871L, Seeds.derive(0, ""));
    }

    @Test
    void everyLabelAndEverySeedGivesItsOwnSeed() {
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            for (int trial = 1; trial <= 1000; trial++) seen.add(Seeds.derive(seed, String.format("t%03d", trial)));
        }
        assertEquals(20 * 1000, seen.size());
        assertNotEquals(Seeds.derive(1, "t001"), Seeds.derive(1, "t001\0"));
    }
}
