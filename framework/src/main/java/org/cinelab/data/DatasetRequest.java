package org.cinelab.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a spec asks of a dataset: its split and options, the experiment seed (for seeded splits),
 * the data directory that holds each dataset under its upstream folder name, and a sink for
 * messages to the user (e.g. "downloading ...").
 */
public record DatasetRequest(String split, Map<String, Object> options, long seed, Path dataDir, Consumer<String> log) {
}
