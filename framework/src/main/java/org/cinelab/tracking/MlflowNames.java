package org.cinelab.tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's rules for metric, param and tag keys, ids and value lengths (2.17 and 3.x agree), so
 * that whatever CineLab writes is accepted by MLflow's own readers and servers.
 */
public final class MlflowNames {
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(MlflowNames.class);
    private static final Pattern EXPERIMENT_ID = Pattern.compile("[a-zA-Z0-9][\\w\\-]{0,63}");
    private static final Pattern RUN_ID = Pattern.compile("[a-zA-Z0-9][\\w\\-]{0,255}");
    private static final String ALLOWED_CHARACTERS = "names may only contain alphanumerics, underscores (_), "
            + "dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)";

    private MlflowNames() {}

    /**
     * Checks a metric, param or tag key like MLflow does: the characters of {@code ^[/\w.\- :]*$}
     * (with Python's Unicode {@code \w}), a normalized relative POSIX path, at most 250 characters.
     *
     * @param kind what the key is for the message, e.g. {@code "param key"}
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    public static void validateKey(String kind, String key) {
        if (key == null) throw new IllegalArgumentException(kind + " is missing (null)");
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            if (!isAllowedKeyCharacter(cp)) {
                throw new IllegalArgumentException(kind + " '" + key + "' is invalid: " + ALLOWED_CHARACTERS
                        + " (found '" + new String(Character.toChars(cp)) + "' at index " + i + ")");
            }
            i += Character.charCount(cp);
        }
        String normalized = posixNormpath(key);
        if (!normalized.equals(key) || normalized.equals(".") || normalized.startsWith("..")
                || normalized.startsWith("/")) {
            throw new IllegalArgumentException(kind + " '" + key + "' is invalid: keys are stored as file paths, so "
                    + "they must be non-empty normalized relative paths (no leading or trailing '/', no '//', "
                    + "no '.' or '..' parts); this one would resolve to '" + normalized + "'");
        }
        int length = key.codePointCount(0, key.length());
        if (length > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(kind + " '" + key + "' is invalid: it has " + length
                    + " characters, MLflow allows at most " + MAX_KEY_LENGTH);
        }
    }

    /** Python's {@code [\w.\- :/]} for one code point: letters, numbers, underscore and the listed marks. */
    static boolean isAllowedKeyCharacter(int cp) {
        if (cp == '_' || cp == '.' || cp == '-' || cp == ' ' || cp == ':' || cp == '/') return true;
        if (Character.isLetter(cp)) return true;
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** Python's {@code posixpath.normpath}, which MLflow uses to reject keys that are not plain paths. */
    static String posixNormpath(String path) {
        if (path.isEmpty()) return ".";
        int initialSlashes = path.startsWith("/") ? 1 : 0;
        if (path.startsWith("//") && !path.startsWith("///")) initialSlashes = 2;
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) continue;
            boolean keep = !part.equals("..") || (initialSlashes == 0 && parts.isEmpty())
                    || (!parts.isEmpty() && parts.get(parts.size() - 1).equals(".."));
            if (keep) parts.add(part);
            else if (!parts.isEmpty()) parts.remove(parts.size() - 1);
        }
        String joined = "/".repeat(initialSlashes) + String.join("/", parts);
        return joined.isEmpty() ? "." : joined;
    }

    /** Run tags as every MLflow store takes them: keys validated, values cut to MLflow's limit (with a warning). */
    public static Map<String, String> checkedTags(Map<String, String> tags) {
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            validateKey("tag key", tag.getKey());
            checked.put(tag.getKey(), truncate("tag", tag.getKey(), tag.getValue(), MAX_TAG_VALUE_LENGTH));
        }
        return checked;
    }

    /**
     * Cuts a value to {@code max} characters (code points, as Python counts) and logs a warning,
     * as MLflow does by default ({@code MLFLOW_TRUNCATE_LONG_VALUES=true}).
     */
    public static String truncate(String kind, String key, String value, int max) {
        if (value == null) throw new IllegalArgumentException(kind + " '" + key + "' has no value (null)");
        int length = value.codePointCount(0, value.length());
        if (length <= max) return value;
        LOG.warn("{} '{}' has {} characters; MLflow keeps at most {}, so it was truncated", kind, key, length, max);
        return value.substring(0, value.offsetByCodePoints(0, max));
    }

    /** Experiment ids become directory names, so only MLflow's id characters are allowed. */
    public static void validateExperimentId(String id) {
        if (id == null || !EXPERIMENT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("experiment id '" + id + "' is invalid: expected letters, digits, "
                    + "'_' or '-' (MLflow's file store uses decimal ids such as 880694342948107835)");
        }
    }

    /** Run ids become directory names, so only MLflow's id characters are allowed. */
    public static void validateRunId(String id) {
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("run id '" + id + "' is invalid: expected letters, digits, '_' or '-' "
                    + "(MLflow run ids are 32 lowercase hex characters)");
        }
    }

    /** MLflow's experiment-name rule: not empty, at most 500 characters. */
    public static void validateExperimentName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("experiment name must not be empty");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_EXPERIMENT_NAME_LENGTH) {
            throw new IllegalArgumentException("experiment name '" + name.substring(0, 40) + "…' has " + length
                    + " characters, MLflow allows at most " + MAX_EXPERIMENT_NAME_LENGTH);
        }
    }

    /** An artifact path must be relative to the run's artifact root and stay inside it; returns it unchanged. */
    public static String validateArtifactPath(String artifactPath) {
        if (artifactPath == null || artifactPath.isBlank()) {
            throw new IllegalArgumentException("artifact path is empty; expected a relative path like 'reports/summary.txt'");
        }
        if (artifactPath.startsWith("/") || artifactPath.startsWith("\\") || artifactPath.matches("[A-Za-z]:.*")) {
            throw new IllegalArgumentException("artifact path '" + artifactPath
                    + "' is absolute; expected a path relative to the run's artifacts/, like 'reports/summary.txt'");
        }
        for (String part : artifactPath.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("artifact path '" + artifactPath
                        + "' contains '..'; expected a path inside the run's artifacts/, like 'reports/summary.txt'");
            }
        }
        return artifactPath;
    }
}
