package org.cinelab.bench;

import java.util.List;

/** Every benchmark {@code cinelab bench} knows. */
public final class Benchmarks {
    private Benchmarks() {}

    public static List<Benchmark> all() {
        return List.of(
                new RunnerOverheadBenchmark(),
                new FileStoreBenchmark(),
                new SqliteStoreBenchmark(),
                new RestLoggingBenchmark(),
                new NetflixParseBenchmark(),
                new NetflixWindowsBenchmark(),
                new ModelThroughputBenchmark(),
                new S1Benchmark(),
                new TsneBenchmark(),
                new LstmBenchmark(),
                new S4Benchmark(),
                new SearchBenchmark());
    }
}
