package org.cinelab.data.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The datasets CineLab knows, read from {@code datasets/catalog.yaml}. The canonical file lives at
 * the repository root; the build also packages it as the classpath resource
 * {@value #RESOURCE}, so an installed jar needs no checkout.
 */
public final class DatasetCatalog {
    public static final String RESOURCE = "datasets/catalog.yaml";

    private static volatile DatasetCatalog bundled;

    private final Map<String, CatalogEntry> entries;

    private DatasetCatalog(List<CatalogEntry> list) {
        Map<String, CatalogEntry> m = new LinkedHashMap<>();
        for (CatalogEntry e : list) {
            if (m.put(e.name(), e) != null) throw new IllegalArgumentException("dataset " + e.name() + " is listed twice");
        }
        this.entries = java.util.Collections.unmodifiableMap(m);
    }

    /** The catalog packaged with CineLab. */
    public static DatasetCatalog bundled() {
        DatasetCatalog c = bundled;
        if (c == null) {
            try (InputStream in = DatasetCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("classpath resource " + RESOURCE + " missing: the build did not package the catalog");
                c = parse(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bundled = c;
        }
        return c;
    }

    public static DatasetCatalog read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    public static DatasetCatalog of(List<CatalogEntry> entries) {
        return new DatasetCatalog(entries);
    }

    static DatasetCatalog parse(InputStream in, String source) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            CatalogFile f = yaml.readValue(in, CatalogFile.class);
            return new DatasetCatalog(f.datasets() == null ? List.of() : f.datasets());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("cannot read dataset catalog " + source + ": " + e.getMessage(), e);
        }
    }

    private record CatalogFile(int version, List<CatalogEntry> datasets) {}

    public List<CatalogEntry> entries() { return List.copyOf(entries.values()); }

    public Optional<CatalogEntry> find(String name) { return Optional.ofNullable(entries.get(name)); }

    /** The entry, or an error that lists the valid names. */
    public CatalogEntry get(String name) throws DatasetException {
        CatalogEntry e = entries.get(name);
        if (e == null) throw new DatasetException("unknown dataset '" + name + "'; known datasets: " + String.join(", ", entries.keySet()));
        return e;
    }
}
