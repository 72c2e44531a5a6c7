package org.cinelab.data.netflix;

/**
 * What a loader does with a malformed line: stop with an error naming file, line and text
 * ({@code on_error: fail}, the default), or skip the line and count it ({@code on_error: skip}).
 */
public enum OnError {
    FAIL,
    SKIP
}
