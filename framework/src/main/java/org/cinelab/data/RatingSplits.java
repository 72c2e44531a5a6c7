package org.cinelab.data;

import java.util.Map;

/**
 * A ratings dataset cut into train, validation and test. Validation is always carved from the
 * training data, so the objective never sees test ratings. {@code params} describe how the split was
 * made (logged as run params); {@code splitId} hashes the data checksum and those params.
 */
public record RatingSplits(
        RatingTable train,
        RatingTable validation,
        RatingTable test,
        int numUsers,
        int numItems,
        float minRating,
        float maxRating,
        Map<String, String> params,
        String dataSha256,
        String splitId) implements PreparedData {
}
