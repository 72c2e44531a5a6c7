package org.cinelab.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DidYouMeanTest {
    @Test
    void aMissingLetterOrASwapIsOneEdit() {
        assertEquals(1, DidYouMean.distance("max_epoch", "max_epochs"));
        assertEquals(1, DidYouMean.distance("trails", "trials"));
    }

    @Test
    void theClosestPlausibleNameIsSuggested() {
        assertEquals(Optional.of("factors"), DidYouMean.closest("factor", List.of("factors", "lr", "reg")));
        assertEquals(Optional.of("reg"), DidYouMean.closest("regg", List.of("factors", "lr", "reg")));
    }

    @Test
    void twoLetterNamesAndDistantNamesAreNotSuggested() {
        assertEquals(Optional.empty(), DidYouMean.closest("u9", List.of("u1", "u2", "ua")));
        assertEquals(Optional.empty(), DidYouMean.closest("dropout", List.of("factors", "lr", "reg")));
    }
}
