package org.cinelab.tracking.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The credentials of one tracking server and a redactor for them: every param, tag, run name and
 * artifact CineLab sends passes through {@link #redact}, so a token or password that found its way
 * into a spec (e.g. {@code tracking.uri: https://user:pw@host}) never reaches the server, the spool
 * or a log line. URIs are shown with {@link #redactUri}.
 */
public final class Secrets {
    static final String MASK = "***";
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)([^/@\\s:]*):([^/@\\s]*)@");
    private static final int MIN_SECRET_LENGTH = 3;

    private final List<String> values;

    public Secrets(List<String> secrets) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s == null || s.length() < MIN_SECRET_LENGTH) continue;
            distinct.add(s);
            distinct.add(java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        List<String> sorted = new ArrayList<>(distinct);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.values = List.copyOf(sorted);
    }

    /** The secrets of a basic-auth pair or a token, plus the header values made from them. */
    static Secrets of(String username, String password, String token, String userInfo) {
        List<String> all = new ArrayList<>();
        all.add(password);
        all.add(token);
        all.add(userInfo);
        if (username != null && password != null) {
            all.add(Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return new Secrets(all);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The text with every known secret and every URI user-info part replaced by {@code ***}. */
    public String redact(String text) {
        if (text == null) return null;
        String out = redactUri(text);
        for (String secret : values) out = out.replace(secret, MASK);
        return out;
    }

    /** Bytes of a file with known secrets masked; the same array when none occurs. */
    byte[] redact(byte[] content) {
        byte[] out = content;
        for (String secret : values) out = replace(out, secret.getBytes(StandardCharsets.UTF_8),
                MASK.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** {@code scheme://user:password@host} becomes {@code scheme://user:***@host}, anywhere in the text. */
    public static String redactUri(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("$1$2:" + MASK + "@");
    }

    private static byte[] replace(byte[] data, byte[] target, byte[] replacement) {
        int first = indexOf(data, target, 0);
        if (first < 0) return data;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length);
        int from = 0;
        for (int at = first; at >= 0; at = indexOf(data, target, from)) {
            out.write(data, from, at - from);
            out.write(replacement, 0, replacement.length);
            from = at + target.length;
        }
        out.write(data, from, data.length - from);
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] target, int from) {
        outer:
        for (int i = from; i <= data.length - target.length; i++) {
            for (int j = 0; j < target.length; j++) if (data[i + j] != target[j]) continue outer;
            return i;
        }
        return -1;
    }
}
