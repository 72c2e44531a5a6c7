package org.cinelab.bench;

import java.io.PrintStream;

/**
 * A documented benchmark: {@code ./cinelab bench NAME [args]} prints figures (throughput, peak
 * memory) for a person to read. Speed targets are checked here, never by unit-test timings.
 */
public interface Benchmark {
    /** Name on the command line, e.g. {@code filestore}. */
    String name();

    /** One line for {@code cinelab bench --list}. */
    String description();

    void run(String[] args, PrintStream out) throws Exception;
}
