package org.cinelab.tracking;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlflowNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"loss", "eval/rmse", "model.lr", "val:loss", "a b", "x-y_z", "ünïcode", "数字", "a/b/c"})
    void keys_mlflow_accepts_are_accepted(String key) {
        assertDoesNotThrow(() -> MlflowNames.validateKey("metric key", key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad key!", "a*b", "tab\tkey", "q?", "back\\slash", "semi;colon"})
    void keys_with_other_characters_are_rejected_naming_key_and_allowed_characters(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlflowNames.validateKey("param key", key));
        assertTrue(e.getMessage().contains("param key '" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("alphanumerics"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/../b", "/abs", "a//b", "a/", "./a", "a/./b", "..a"})
    void keys_that_are_not_normalized_relative_paths_are_rejected(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlflowNames.validateKey("tag key", key));
        assertTrue(e.getMessage().contains("normalized relative paths"), e.getMessage());
    }

    @Test
    void a_key_of_250_characters_is_the_longest_allowed() {
        assertDoesNotThrow(() -> MlflowNames.validateKey("metric key", "k".repeat(250)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlflowNames.validateKey("metric key", "k".repeat(251)));
        assertTrue(e.getMessage().contains("251 characters"), e.getMessage());
    }

    @Test
    void posix_normpath_matches_python() {
        assertEquals(".", MlflowNames.posixNormpath(""));
        assertEquals("a/b", MlflowNames.posixNormpath("a//b/"));
        assertEquals("b", MlflowNames.posixNormpath("a/../b"));
        assertEquals("../x", MlflowNames.posixNormpath("../x"));
        assertEquals("//a", MlflowNames.posixNormpath("//a"));
        assertEquals("/a", MlflowNames.posixNormpath("///a/."));
    }

    @Test
    void values_are_truncated_by_code_points_not_utf16_units() {
        String value = "😀".repeat(7000);
        String cut = MlflowNames.truncate("param", "p", value, 6000);
        assertEquals(6000, cut.codePointCount(0, cut.length()));
        assertEquals("short", MlflowNames.truncate("param", "p", "short", 6000));
    }

    @Test
    void ids_that_could_escape_the_store_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.validateRunId("../0"));
        assertThrows(IllegalArgumentException.class, () -> MlflowNames.validateExperimentId("a/b"));
        assertDoesNotThrow(() -> MlflowNames.validateRunId("85bfa1c18ab2437c9aa4546598633dc6"));
        assertDoesNotThrow(() -> MlflowNames.validateExperimentId("611329983641917733"));
    }
}
