package org.cinelab.models.text;

import org.cinelab.space.SettingConflict;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for where a classifier's cluster labels come from ({@code labels}, {@code dec_run},
 * {@code tracking_dir}), checked when the spec is loaded: a value that {@link ClusterLabels} could
 * not use would otherwise fail every trial.
 */
final class LabelSource {
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]+:.*");

    private LabelSource() {}

    /** {@code labels}: empty (then {@code dec_run} says where), or a label file that exists now. */
    static String checkLabels(String value) {
        if (value.isEmpty()) return null;
        Path file = pathOrNull(value);
        if (file != null && Files.isRegularFile(file)) return null;
        return "an existing cluster_labels.csv file (a relative path starts at the working directory "
                + Path.of("").toAbsolutePath() + "), or \"\" to use dec_run";
    }

    /** {@code dec_run}: empty, a run id as MLflow prints it, or {@code latest:EXPERIMENT}. */
    static String checkRun(String value) {
        if (value.isEmpty() || RUN_ID.matcher(value).matches()) return null;
        if (value.startsWith(ClusterLabels.LATEST) && !value.substring(ClusterLabels.LATEST.length()).isBlank()) return null;
        return "a run id (32 lowercase hexadecimal digits, as cinelab run prints it), " + ClusterLabels.LATEST
                + "EXPERIMENT, or \"\" to use labels";
    }

    /** {@code tracking_dir}: a directory path; runs are looked up in its files, so a server URI cannot work. */
    static String checkTrackingDir(String value) {
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) return null;
        boolean uri = URI_SCHEME.matcher(value).matches();
        if (!value.isBlank() && !uri && pathOrNull(value) != null) return null;
        return "the MLflow store the clustering run logged to: a directory such as mlruns or /tmp/x/mlruns, a file: URI,"
                + " or an http(s):// tracking server";
    }

    /** Neither {@code labels} nor {@code dec_run} given: no trial has labels to train on. */
    static List<SettingConflict> conflicts(String type, Map<String, Object> params) {
        if ("".equals(params.get("labels")) && "".equals(params.get("dec_run"))) {
            return List.of(new SettingConflict("model.params.dec_run", type + " trains on the clusters of a dec or"
                    + " text-kmeans run: set labels (its cluster_labels.csv) or dec_run (its run id, or "
                    + ClusterLabels.LATEST + "EXPERIMENT); both are empty"));
        }
        return List.of();
    }

    private static Path pathOrNull(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
