package org.cinelab.data.sets;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.NoDataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** All dataset providers by name. Adding a dataset is one class and one line here. */
public final class DatasetRegistry {
    private static final Map<String, DatasetProvider> PROVIDERS = new LinkedHashMap<>();

    static {
        register(new MovieLens100k());
        register(new MovieLens1m());
        register(new MovieLensLatestSmall());
        register(new NetflixPrizeDataset());
        register(new NetflixTitlesDataset());
        register(new NoDataset());
    }

    private DatasetRegistry() {}

    private static void register(DatasetProvider p) { PROVIDERS.put(p.name(), p); }

    public static Optional<DatasetProvider> find(String name) { return Optional.ofNullable(PROVIDERS.get(name)); }

    public static Map<String, DatasetProvider> all() { return java.util.Collections.unmodifiableMap(PROVIDERS); }
}
