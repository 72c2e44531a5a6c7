package org.cinelab.models.dec;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.NetflixTitlesDataset;
import org.cinelab.data.text.TextSplits;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated Netflix catalogue whose descriptions are drawn from three genre vocabularies, so a
 * working clustering recovers the genres; installed under a data folder and loaded through the real
 * {@code netflix-titles} provider.
 */
public final class GeneratedTitles {
    static final String HEADER = "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description";
    private static final String[] GENRES = {"Sci-Fi & Fantasy", "Romantic Movies", "Thrillers"};
    private static final String[][] WORDS = {
            {"space", "alien", "ship", "planet", "galaxy", "robot", "future", "star"},
            {"love", "wedding", "heart", "romance", "kiss", "bride", "dating", "couple"},
            {"murder", "detective", "crime", "police", "killer", "case", "gun", "heist"}};
    private static final String[] COMMON = {"a", "the", "of", "young", "life", "story", "new", "city"};

    private GeneratedTitles() {}

    /** Installs {@code n} titles under {@code dataDir} and loads them with {@code options}. */
    public static TextSplits load(Path dataDir, int n, Map<String, Object> options) throws Exception {
        SplittableRandom rng = new SplittableRandom(11);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= n; i++) {
            int g = i % GENRES.length;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                String[] pool = rng.nextInt(3) == 0 ? COMMON : WORDS[g];
                text.append(w == 0 ? "" : " ").append(pool[rng.nextInt(pool.length)]);
            }
            csv.append('s').append(i).append(",Movie,Title ").append(i).append(",,,India,\"January 1, 2020\",2019,TV-MA,90 min,\"")
                    .append(GENRES[g]).append(", International Movies\",\"").append(text).append(".\"\n");
        }
        Path folder = dataDir.resolve("netflix-titles");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("netflix_titles_7787.csv"), csv.toString(), StandardCharsets.UTF_8);
        return (TextSplits) new NetflixTitlesDataset().load(new DatasetRequest("random", options, 42, dataDir, s -> {}));
    }
}
