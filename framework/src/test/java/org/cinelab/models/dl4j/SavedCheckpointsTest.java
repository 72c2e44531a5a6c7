package org.cinelab.models.dl4j;

import org.cinelab.data.PreparedData;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dec.GeneratedTitles;
import org.cinelab.models.timeseries.TimedRatings;
import org.cinelab.space.Hyperparams;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checkpoints written by an earlier CineLab (the files under {@code src/test/resources/checkpoints},
 * written before the checkpoint framing moved into {@link NetworkCheckpoint}) still load: every
 * byte is read back and written again unchanged, and training continues from them.
 */
class SavedCheckpointsTest {
    @TempDir
    static Path dir;

    /** The model each fixture was written from: its type, data and settings, trained {@link #EPOCHS} epochs with seed 7. */
    static TrialModel model(String fixture) throws Exception {
        return switch (fixture) {
            case "stacked-autoencoder" -> create("stacked-autoencoder", org.cinelab.models.dl4j.GeneratedRatings.splits(40, 30, 900, 3),
                    Map.of("hidden", "6,3,6", "accumulate_gradients", true, "batch_size", 4));
            case "dec" -> create("dec", GeneratedTitles.load(Files.createDirectories(dir.resolve("titles")), 120, Map.of("representation", "tfidf")),
                    Map.of("dims", "8,2", "clusters", 3, "kmeans_restarts", 1, "batch_size", 32, "max_iterations", 5, "scatter", false));
            case "ranking" -> create("ranking", GeneratedRatings.splits(40, 30, 900, 3), Map.of("embedding_dim", 4, "deep", "8", "batch_size", 64));
            case "embedding-dense" -> create("embedding-dense", GeneratedRatings.splits(40, 30, 900, 3),
                    Map.of("embedding_dim", 4, "hidden", "8,4", "batch_size", 64));
            case "time-lstm" -> create("time-lstm", TimedRatings.splits(30, 20, 12, 3, 11),
                    Map.of("window", 4, "clusters", 3, "units", 4, "batch_size", 32));
            default -> throw new IllegalArgumentException(fixture);
        };
    }

    static final int EPOCHS = 2;

    private static TrialModel create(String type, PreparedData data, Map<String, Object> params) {
        ModelFactory f = ModelRegistry.find(type).orElseThrow();
        return f.create(Hyperparams.resolve(f.hyperParameters(), params, Map.of()), data, 7);
    }

    static byte[] checkpoint(TrialModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.saveCheckpoint(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stacked-autoencoder", "dec", "ranking", "embedding-dense", "time-lstm"})
    void aCheckpointWrittenByTheEarlierFormatLoadsAndTrainingContinues(String fixture) throws Exception {
        byte[] saved;
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/" + fixture + ".bin")) {
            assertNotNull(in, "fixture " + fixture);
            saved = in.readAllBytes();
        }
        TrialModel m = model(fixture);
        m.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(saved)));
        assertArrayEquals(saved, checkpoint(m), "read and written again unchanged");
        assertTrue(Double.isFinite(m.trainEpoch(EPOCHS + 1)));
    }

    @org.junit.jupiter.api.Test
    void anotherModelsCheckpointIsRefusedByName() throws Exception {
        byte[] ranking;
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/ranking.bin")) {
            ranking = in.readAllBytes();
        }
        TrialModel dec = model("dec");
        IOException e = assertThrows(IOException.class, () -> dec.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(ranking))));
        assertEquals("not a dec checkpoint", e.getMessage());
    }

    /** Writes the fixtures; run once, with the code whose format they record. */
    public static void main(String[] args) throws Exception {
        dir = Files.createTempDirectory("fixtures");
        Path out = Path.of(args[0]);
        for (String f : new String[]{"stacked-autoencoder", "dec", "ranking", "embedding-dense", "time-lstm"}) {
            TrialModel m = model(f);
            for (int e = 1; e <= EPOCHS; e++) m.trainEpoch(e);
            Files.write(out.resolve(f + ".bin"), checkpoint(m));
        }
    }
}
