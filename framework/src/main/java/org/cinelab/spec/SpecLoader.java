package org.cinelab.spec;

import org.cinelab.data.Checksums;
import org.cinelab.data.DatasetProvider;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.io.UserMessages;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML experiment spec and validates all of it before any work starts: YAML syntax,
 * keys, types, ranges, the model's hyperparameters, the dataset's splits and options, the search
 * space and the sampler/scheduler settings. Any problem, including an unreadable file, is
 * reported as a {@link SpecException} listing every problem found with its line and column.
 */
public final class SpecLoader {
    /** The {@link SpecProblem#field()} of problems about the file itself (missing, unreadable, not UTF-8); line and column are 0. */
    public static final String FILE_FIELD = "(file)";

    private final Map<String, ModelFactory> models;
    private final Map<String, DatasetProvider> datasets;

    /** A loader that checks specs against these models (by type) and datasets (by name). */
    public SpecLoader(Map<String, ModelFactory> models, Map<String, DatasetProvider> datasets) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
    }

    /** Loads {@code file} against the global {@link ModelRegistry} and {@link DatasetRegistry}. */
    public static ExperimentSpec load(Path file) throws IOException, SpecException {
        return registered().read(file);
    }

    /** Loads {@code file} with {@code --set key=value} overrides applied before validation. */
    public static ExperimentSpec load(Path file, List<String> overrides) throws SpecException {
        return registered().read(file, overrides);
    }

    /** Loads spec text against the global registries; {@code nameForMessages} stands in for the file in problems. */
    public static ExperimentSpec loadString(String yaml, Path nameForMessages) throws SpecException {
        return registered().read(yaml, nameForMessages);
    }

    private static SpecLoader registered() {
        return new SpecLoader(ModelRegistry.all(), DatasetRegistry.all());
    }

    /** Reads and validates {@code file}; a missing or unreadable file is a problem at line 0, column 0. */
    public ExperimentSpec read(Path file) throws SpecException {
        return read(file, List.of());
    }

    /** As {@link #read(Path)}, with {@code --set} overrides applied to the file's tree before validation. */
    public ExperimentSpec read(Path file, List<String> overrides) throws SpecException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fileProblem(file, "no such file");
        } catch (IOException e) {
            throw fileProblem(file, "cannot read the file: " + UserMessages.of(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fileProblem(file, "not UTF-8 text");
        }
        return validate(text, file, Checksums.sha256(bytes), overrides);
    }

    /** Validates spec text; {@code sha256} is that of its UTF-8 bytes. */
    public ExperimentSpec read(String yaml, Path nameForMessages) throws SpecException {
        return validate(yaml, nameForMessages, Checksums.sha256(yaml), List.of());
    }

    private ExperimentSpec validate(String text, Path file, String sha256, List<String> overrides) throws SpecException {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        Problems problems = new Problems(file, overrides);
        YamlNode root = YamlTreeReader.read(text, problems);
        if (root == null && !problems.isEmpty()) throw problems.exception();
        if (!overrides.isEmpty()) {
            root = Overrides.apply(root, overrides, problems);
            if (!problems.isEmpty()) throw problems.exception();
        }
        ExperimentSpec spec = new SpecValidator(models, datasets, problems).validate(root, file);
        if (spec == null) throw problems.exception();
        ExperimentSpec withSha = withResolvedYaml(spec, null, sha256, overrides);
        return withResolvedYaml(withSha, ResolvedYaml.render(withSha), sha256, overrides);
    }

    private static ExperimentSpec withResolvedYaml(ExperimentSpec s, String resolvedYaml, String sha256, List<String> overrides) {
        return new ExperimentSpec(s.file(), s.name(), s.description(), s.seed(), s.dataset(), s.model(), s.search(),
                s.space(), s.objective(), s.tracking(), s.paper(), resolvedYaml, sha256, overrides);
    }

    private static SpecException fileProblem(Path file, String message) {
        return new SpecException(List.of(new SpecProblem(file, 0, 0, FILE_FIELD, message)));
    }
}
