package org.cinelab.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Spec words for enum constants: lower case with dashes, {@code SUCCESSIVE_HALVING -> successive-halving}. */
final class SpecNames {
    private SpecNames() {}

    static String of(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    static <E extends Enum<E>> List<String> all(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(SpecNames::of).toList();
    }

    static <E extends Enum<E>> E parse(Class<E> type, String word) {
        return Enum.valueOf(type, word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
