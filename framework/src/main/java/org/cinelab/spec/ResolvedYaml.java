package org.cinelab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.cinelab.search.SearchSettings;
import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a validated spec as YAML with every default filled in, keys in schema order, so the
 * logged {@code spec.yaml} says exactly what ran. Keys whose value is null are left out; loading
 * the rendering again yields an equal spec.
 */
final class ResolvedYaml {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private ResolvedYaml() {}

    static String render(ExperimentSpec spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("experiment", map("name", spec.name(), "description", spec.description()));
        doc.put("seed", spec.seed());
        doc.put("dataset", map("name", spec.dataset().name(), "split", spec.dataset().split(),
                "options", spec.dataset().options()));
        doc.put("model", map("type", spec.model().type(), "params", spec.model().params()));
        SearchSettings s = spec.search();
        doc.put("search", map("sampler", engine(s.sampler(), s.samplerOptions()), "trials", s.trials(),
                "scheduler", engine(s.scheduler(), s.schedulerOptions()), "max_epochs", s.maxEpochs(), "eta", s.eta(),
                "min_epochs", s.minEpochs(), "early_stopping", s.earlyStopping() == null ? null
                        : map("patience", s.earlyStopping().patience(), "min_delta", s.earlyStopping().minDelta()),
                "refit", s.refit()));
        Map<String, Object> space = new LinkedHashMap<>();
        spec.space().params().forEach((name, p) -> space.put(name, domain(p)));
        doc.put("space", space);
        doc.put("objective", map("metric", spec.objective().metric(), "mode", spec.objective().mode().specName()));
        doc.put("tracking", map("uri", spec.tracking().uri(), "experiment", spec.tracking().experiment()));
        doc.put("paper", spec.paper());
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tpe}, or {@code {type: tpe, option: value, ...}} when it has options. */
    private static Object engine(String name, Map<String, Object> options) {
        if (options.isEmpty()) return name;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", name);
        new java.util.TreeMap<>(options).forEach(m::put);
        return m;
    }

    private static Map<String, Object> domain(SearchSpace.Param p) {
        Map<String, Object> out = new LinkedHashMap<>(domain(p.domain()));
        if (p.when() != null) out.put("when", Map.of(p.when().parent(), p.when().values()));
        return out;
    }

    private static Map<String, Object> domain(Domain d) {
        Object bounds;
        if (d instanceof Domain.Choice c) bounds = c.values();
        else if (d instanceof Domain.Uniform u) bounds = List.of(u.low(), u.high());
        else if (d instanceof Domain.LogUniform l) bounds = List.of(l.low(), l.high());
        else {
            Domain.IntRange r = (Domain.IntRange) d;
            bounds = List.of(r.low(), r.high(), r.step());
        }
        return Map.of(d.kind(), bounds);
    }

    /** A map of the given key/value pairs in order, without the null values. */
    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
