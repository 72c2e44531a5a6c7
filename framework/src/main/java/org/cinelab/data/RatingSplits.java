package org.cinelab.data;

import org.cinelab.data.SplitId;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

    /** The param that marks refit data; its split id differs from the search's by it. */
    public static final String REFIT_PARAM = "split.refit";

    /**
     * Train = train rows then validation rows (a stable order, so a seeded model sees the same
     * sequence every time); validation stays as it was, so code that evaluates it still works, but
     * it is now training data and says nothing about generalisation. Test is unchanged.
     */
    @Override
    public Optional<PreparedData> withValidationInTraining() { return Optional.of(merged()); }

    /** {@link #withValidationInTraining()} with its type. */
    public RatingSplits merged() {
        RatingTable all = RatingTable.concat(train, validation);
        Map<String, String> p = refitParams(params);
        return new RatingSplits(all, validation, test, numUsers, numItems, minRating, maxRating, p, dataSha256,
                SplitId.of(dataSha256, p));
    }

    static Map<String, String> refitParams(Map<String, String> params) {
        TreeMap<String, String> p = new TreeMap<>(params);
        p.put(REFIT_PARAM, "true");
        return Map.copyOf(p);
    }
}
