package org.cinelab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchBenchmarkTest {

    @Test
    void theSearchApiPathFindsExactlyWhatTheEngineFinds(@TempDir Path tmp) throws Exception {
        SamplerRegret.Variant tpe = new SamplerRegret.Variant("tpe", "tpe", Map.of("startup_trials", 5));
        double direct = SamplerRegret.direct(tpe, 3, 12);
        double engine = SamplerRegret.engine(tpe, 3, 12, tmp);

        assertEquals(engine, direct, 0, "the benchmark's fast path must measure the sampler the engine runs");
        assertTrue(direct > 0);
    }

    @Test
    void quantilesInterpolateBetweenSortedValues() {
        double[] v = {1, 2, 3, 4, 5};
        assertEquals(3, SearchBenchmark.quantile(v, 0.5));
        assertEquals(2, SearchBenchmark.quantile(v, 0.25));
        assertEquals(1.5, SearchBenchmark.quantile(new double[] {1, 2}, 0.5));
    }
}
