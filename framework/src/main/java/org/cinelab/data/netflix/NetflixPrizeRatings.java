package org.cinelab.data.netflix;

import org.cinelab.data.RatingTable;

import java.nio.file.Path;
import java.util.List;

/**
 * Netflix Prize ratings as primitive columns with maps back to the raw ids. In the
 * {@link RatingTable}, users and items are dense ids (ascending raw CustomerID and MovieID order),
 * ratings are 1..5 and timestamps are epoch seconds at UTC midnight of the rating date (the
 * files give a date only), so they compare directly with MovieLens seconds times 1000.
 *
 * @param ratings      rows in file order
 * @param users        dense user id to raw CustomerID
 * @param movies       dense item id to raw MovieID
 * @param files        the files read, in order
 * @param skippedLines lines skipped as malformed under {@link OnError#SKIP} (0 under FAIL)
 * @param problems     the first {@link NetflixPrizeReader#MAX_REPORTED_PROBLEMS} skipped lines,
 *                     each as {@code FILE:LINE: PROBLEM: "TEXT"}
 */
public record NetflixPrizeRatings(RatingTable ratings, IdMap users, IdMap movies, List<Path> files,
                                  long skippedLines, List<String> problems) {
    public NetflixPrizeRatings {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
    }

    public int size() { return ratings.size(); }
}
