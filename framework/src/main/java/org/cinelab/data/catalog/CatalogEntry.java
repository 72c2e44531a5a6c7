package org.cinelab.data.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One dataset of {@code datasets/catalog.yaml}: where it comes from, the folder it lives in inside
 * the cache, the files that make it up (with the checksums that prove a copy is the right one), and
 * its terms of use.
 */
public record CatalogEntry(
        String name,
        String title,
        String kind,
        String folder,
        Access access,
        String homepage,
        Archive archive,
        List<Member> members,
        @JsonProperty("require_any_of") List<String> requireAnyOf,
        @JsonProperty("import_hint") String importHint,
        @JsonProperty("import_from") String importFrom,
        String licence,
        String citation) {

    /** How a user gets the data: {@code fetch} downloads public data; login-only data is imported by hand. */
    public enum Access {
        @JsonProperty("public") PUBLIC,
        @JsonProperty("login") LOGIN
    }

    /** The upstream archive; {@code sha256} and {@code size} are null when no published value was found. */
    public record Archive(String url, String sha256, Long size, @JsonProperty("checksum_source") String checksumSource) {
        /** The last path segment of the URL, e.g. {@code ml-100k.zip}. */
        public String fileName() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    /** A file of the dataset, relative to its folder; checked by SHA-256 when known, else by size when known. */
    public record Member(String path, Long size, String sha256, boolean optional, String note) {
        public boolean hasChecksum() { return sha256 != null && !sha256.isBlank(); }
    }

    public CatalogEntry {
        Objects.requireNonNull(name, "dataset without a name");
        Objects.requireNonNull(folder, "dataset " + name + " without a folder");
        access = access == null ? Access.PUBLIC : access;
        members = members == null ? List.of() : List.copyOf(members);
        requireAnyOf = requireAnyOf == null ? List.of() : List.copyOf(requireAnyOf);
    }

    public boolean isPublicDownload() {
        return access == Access.PUBLIC && archive != null && archive.url() != null;
    }

    public boolean isRatings() { return "ratings".equals(kind); }

    public Optional<Member> member(String path) {
        return members.stream().filter(m -> m.path().equals(path)).findFirst();
    }

    /** Shell command that installs this dataset from a local copy. */
    public String importCommand(String dataDirArgument) {
        String from = importFrom == null ? "PATH" : importFrom;
        return "cinelab datasets import " + name + " --from " + from + (dataDirArgument == null ? "" : " --data-dir " + dataDirArgument);
    }
}
