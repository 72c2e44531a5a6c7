package org.cinelab.search;

/** Rung i of a bracket: {@code configs} trials (n_i) each trained up to {@code epochs} (r_i) in total. */
public record Rung(int index, int configs, int epochs) {
}
