package org.cinelab.search;

import org.cinelab.space.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSamplerTest {

    private static final Map<String, Domain> SPACE = Map.of(
            "lr", new Domain.LogUniform(1e-4, 1e-1),
            "dropout", new Domain.Uniform(0.0, 0.5),
            "units", new Domain.IntRange(32, 512, 32),
            "activation", new Domain.Choice(List.of("relu", "gelu", "swish")));

    @Test
    void theSameSeedGivesTheSameConfigurations() {
        assertEquals(new RandomSampler(SPACE, 7).next(20), new RandomSampler(SPACE, 7).next(20));
    }

    @Test
    void anotherSeedGivesOtherConfigurations() {
        assertNotEquals(new RandomSampler(SPACE, 7).next(20), new RandomSampler(SPACE, 8).next(20));
    }

    @Test
    void drawingInTwoCallsContinuesTheSameSequence() {
        RandomSampler split = new RandomSampler(SPACE, 7);
        List<Map<String, Object>> firstPart = split.next(5);
        List<Map<String, Object>> secondPart = split.next(5);

        List<Map<String, Object>> whole = new RandomSampler(SPACE, 7).next(10);

        assertEquals(whole.subList(0, 5), firstPart);
        assertEquals(whole.subList(5, 10), secondPart);
    }

    @Test
    void logUniformSamplesStayWithinBoundsAndCoverTheDecades() {
        Map<String, Domain> space = Map.of("lr", new Domain.LogUniform(1e-4, 1e-1));
        boolean[] decadeSeen = new boolean[3];

        for (Map<String, Object> config : new RandomSampler(space, 1).next(2000)) {
            double lr = (Double) config.get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr out of bounds: " + lr);
            decadeSeen[(int) Math.min(2, Math.floor(Math.log10(lr) + 4))] = true;
        }

        assertTrue(decadeSeen[0] && decadeSeen[1] && decadeSeen[2], "every decade of [1e-4, 1e-1] is sampled");
    }

    @Test
    void everyValueComesFromItsDomain() {
        for (Map<String, Object> config : new RandomSampler(SPACE, 3).next(500)) {
            assertEquals(List.of("activation", "dropout", "lr", "units"), List.copyOf(config.keySet()));
            int units = (Integer) config.get("units");
            assertTrue(units >= 32 && units <= 512 && units % 32 == 0, "units " + units);
            double dropout = (Double) config.get("dropout");
            assertTrue(dropout >= 0 && dropout <= 0.5, "dropout " + dropout);
            assertTrue(List.of("relu", "gelu", "swish").contains(config.get("activation")));
        }
    }

    @Test
    void anEmptySpaceGivesOneEmptyConfigurationPerTrial() {
        assertEquals(List.of(Map.of(), Map.of(), Map.of()), new RandomSampler(Map.of(), 7).next(3));
    }
}
