package org.cinelab.data.catalog;

import java.nio.file.Path;
import java.util.List;

/**
 * What checking a dataset folder against its catalog entry found.
 *
 * @param problems       one line per failed check, naming the file and expected vs actual
 * @param checkedSha256  members whose SHA-256 matched
 * @param checkedSize    members checked by size only (no published checksum)
 * @param unlisted       files in the folder that the catalog has no checksum for
 */
public record VerificationReport(String dataset, Path folder, boolean installed, List<String> problems,
                                 int checkedSha256, int checkedSize, int unlisted) {
    public boolean ok() { return installed && problems.isEmpty(); }

    /** A multi-line description for the user. */
    public String describe() {
        if (!installed) return dataset + ": not installed (" + folder + " does not exist)";
        StringBuilder sb = new StringBuilder();
        sb.append(dataset).append(": ").append(ok() ? "OK" : "FAILED").append(" (").append(folder).append(")");
        sb.append(System.lineSeparator()).append("  ").append(checkedSha256).append(" file(s) match their SHA-256");
        if (checkedSize > 0) sb.append(", ").append(checkedSize).append(" checked by size only (no published checksum)");
        if (unlisted > 0) sb.append(", ").append(unlisted).append(" other file(s) without a catalog checksum");
        for (String p : problems) sb.append(System.lineSeparator()).append("  ").append(p);
        return sb.toString();
    }
}
